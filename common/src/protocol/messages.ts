// Builders for protocol messages (pure).
import type {
  AirbyteMessage, AirbyteStateMessage, FailureType, LogLevel, StreamDescriptor, StreamStatus,
} from './types.js';

export function logMessage(level: LogLevel, message: string): AirbyteMessage {
  return { type: 'LOG', log: { level, message } };
}

export function errorTrace(
  now: number, message: string, failureType: FailureType,
  extra: { internal?: string; stack?: string; stream?: StreamDescriptor } = {},
): AirbyteMessage {
  return {
    type: 'TRACE',
    trace: {
      type: 'ERROR', emitted_at: now,
      error: {
        message, failure_type: failureType,
        ...(extra.internal ? { internal_message: extra.internal } : {}),
        ...(extra.stack ? { stack_trace: extra.stack } : {}),
        ...(extra.stream ? { stream_descriptor: extra.stream } : {}),
      },
    },
  };
}

export function streamStatus(now: number, stream: StreamDescriptor, status: StreamStatus): AirbyteMessage {
  return { type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: now, stream_status: { stream_descriptor: stream, status } } };
}

export function estimateTrace(now: number, stream: StreamDescriptor, rows?: number, bytes?: number): AirbyteMessage {
  return {
    type: 'TRACE',
    trace: {
      type: 'ESTIMATE', emitted_at: now,
      estimate: {
        name: stream.name, type: 'STREAM',
        ...(stream.namespace ? { namespace: stream.namespace } : {}),
        ...(rows !== undefined ? { row_estimate: rows } : {}),
        ...(bytes !== undefined ? { byte_estimate: bytes } : {}),
      },
    },
  };
}

export function streamState(stream: StreamDescriptor, state: unknown, recordCount: number): AirbyteMessage {
  const msg: AirbyteStateMessage = {
    type: 'STREAM',
    stream: { stream_descriptor: stream, stream_state: state },
    sourceStats: { recordCount },
  };
  return { type: 'STATE', state: msg };
}
