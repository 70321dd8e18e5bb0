// Runs a source's configured streams and turns what they yield into protocol messages:
// STREAM_STATUS STARTED → RUNNING → COMPLETE (INCOMPLETE on failure), RECORDs, per-stream STATE with
// sourceStats.recordCount, ESTIMATE traces and periodic progress LOG lines.
import type { Clock } from '../clock.js';
import { ConfigError, ConnectorError, ServiceDownError, toConnectorError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Emitter } from '../protocol/emitter.js';
import { errorTrace, estimateTrace, streamState, streamStatus } from '../protocol/messages.js';
import { streamKey } from '../protocol/types.js';
import type { ConfiguredAirbyteCatalog, ConfiguredAirbyteStream, StreamDescriptor } from '../protocol/types.js';
import type { Source, SourceStream } from './contracts.js';

export interface ReadOptions {
  emitter: Emitter;
  logger: Logger;
  clock: Clock;
  signal?: AbortSignal;
  progressEveryMs?: number;
}

/** Thrown after streams failed; their TRACE errors were already emitted. */
export class StreamsFailedError extends ConnectorError {
  readonly failureType;
  constructor(readonly failed: { stream: string; error: ConnectorError }[]) {
    super(`${failed.length} stream(s) failed: ${failed.map((f) => f.stream).join(', ')}`);
    this.failureType = failed[0]?.error.failureType ?? 'system_error';
  }
}

export function resolveStreams<C>(
  streams: SourceStream<C>[], catalog: ConfiguredAirbyteCatalog,
): { configured: ConfiguredAirbyteStream; stream: SourceStream<C> }[] {
  const byKey = new Map(streams.map((s) => [streamKey(s), s]));
  return catalog.streams.map((configured) => {
    const key = streamKey(configured.stream);
    const stream = byKey.get(key);
    if (!stream) {
      throw new ConfigError(`catalog: unknown stream "${key}"; this source has: ${[...byKey.keys()].join(', ')}. Run discover and refresh the catalog.`);
    }
    if (!stream.syncModes.includes(configured.sync_mode)) {
      throw new ConfigError(`catalog: stream "${key}" does not support sync_mode "${configured.sync_mode}" (supported: ${stream.syncModes.join(', ')})`);
    }
    return { configured, stream };
  });
}

export async function readSource<C>(
  source: Source<C>, config: C, catalog: ConfiguredAirbyteCatalog, state: Map<string, unknown>, opts: ReadOptions,
): Promise<void> {
  const ctx = { logger: opts.logger, clock: opts.clock };
  const plan = resolveStreams(await source.streams(config, ctx), catalog);
  const failed: { stream: string; error: ConnectorError }[] = [];
  for (const { configured, stream } of plan) {
    const key = streamKey(stream);
    try {
      await readOneStream(stream, configured, config, configured.sync_mode === 'incremental' ? state.get(key) : undefined, opts);
    } catch (e) {
      const error = toConnectorError(e);
      failed.push({ stream: key, error });
      // A config problem (bad key, wrong region) or a dead service fails every stream alike: stop here.
      if (error instanceof ConfigError || error instanceof ServiceDownError || opts.signal?.aborted) break;
    }
  }
  if (failed.length) throw new StreamsFailedError(failed);
}

async function readOneStream<C>(
  stream: SourceStream<C>, configured: ConfiguredAirbyteStream, config: C, initial: unknown, opts: ReadOptions,
): Promise<void> {
  const { emitter, clock, logger } = opts;
  const descriptor: StreamDescriptor = { name: stream.name, ...(stream.namespace ? { namespace: stream.namespace } : {}) };
  const signal = opts.signal ?? new AbortController().signal;
  const progressEvery = opts.progressEveryMs ?? 30_000;
  await emitter.emit(streamStatus(clock.now(), descriptor, 'STARTED'));
  let total = 0;
  let sinceState = 0;
  let running = false;
  let lastState: string | undefined;
  let lastStateValue: unknown = initial;
  let stateEmitted = false;
  let lastProgress = clock.now();
  const started = lastProgress;
  try {
    for await (const item of stream.read({ config, state: initial, syncMode: configured.sync_mode, logger, clock, signal })) {
      if (signal.aborted) throw signal.reason ?? new Error('cancelled');
      if (item.kind === 'record') {
        if (!running) { running = true; await emitter.emit(streamStatus(clock.now(), descriptor, 'RUNNING')); }
        const record = { stream: stream.name, ...(stream.namespace ? { namespace: stream.namespace } : {}), data: item.data, emitted_at: clock.now() };
        await emitter.emit({ type: 'RECORD', record });
        total++; sinceState++;
        if (total % 1000 === 0 && clock.now() - lastProgress >= progressEvery) {
          lastProgress = clock.now();
          logger.info(`${stream.name}: ${total} records read (${rate(total, started, lastProgress)} records/s)`);
        }
      } else if (item.kind === 'state') {
        const text = JSON.stringify(item.state);
        if (text === lastState && sinceState === 0) continue; // no duplicate consecutive states
        await emitter.emit(streamState(descriptor, item.state, sinceState));
        lastState = text; lastStateValue = item.state; sinceState = 0; stateEmitted = true;
      } else {
        await emitter.emit(estimateTrace(clock.now(), descriptor, item.rows, item.bytes));
      }
    }
    // Every stream ends with a state, even an empty full-refresh stream (protocol rule).
    if (!stateEmitted || sinceState > 0) {
      await emitter.emit(streamState(descriptor, lastStateValue ?? {}, sinceState));
    }
    await emitter.emit(streamStatus(clock.now(), descriptor, 'COMPLETE'));
    logger.info(`${stream.name}: done, ${total} records in ${((clock.now() - started) / 1000).toFixed(1)}s`);
  } catch (e) {
    const error = toConnectorError(e);
    await emitter.emit(streamStatus(clock.now(), descriptor, 'INCOMPLETE'));
    await emitter.emit(errorTrace(clock.now(), `${stream.name}: ${error.message}`, error.failureType, {
      ...(error.internalMessage ? { internal: error.internalMessage } : {}),
      ...(error.stack ? { stack: error.stack } : {}),
      stream: descriptor,
    }));
    throw error;
  }
}

function rate(n: number, from: number, to: number): number {
  return Math.round(n / Math.max(0.001, (to - from) / 1000));
}
