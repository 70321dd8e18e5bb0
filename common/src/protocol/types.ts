// Airbyte protocol v0.18 message types used by our connectors (see ../shared/spec/airbyte_protocol.yaml).
export type JsonSchema = Record<string, unknown>;
export type SyncMode = 'full_refresh' | 'incremental';
export type DestinationSyncMode = 'append' | 'overwrite' | 'append_dedup' | 'update' | 'soft_delete';
export type FailureType = 'system_error' | 'config_error' | 'transient_error';
export type LogLevel = 'FATAL' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE';
export type StreamStatus = 'STARTED' | 'RUNNING' | 'COMPLETE' | 'INCOMPLETE';

export interface StreamDescriptor { name: string; namespace?: string }

export interface AirbyteRecordMessageMetaChange {
  field: string;
  change: 'NULLED' | 'TRUNCATED';
  reason: string;
}
export interface AirbyteRecordMessage {
  stream: string;
  namespace?: string;
  data: Record<string, unknown>;
  emitted_at: number;
  meta?: { changes?: AirbyteRecordMessageMetaChange[]; [k: string]: unknown };
}

export interface AirbyteStateStats { recordCount?: number; rejectedRecordCount?: number }
export interface AirbyteStreamState { stream_descriptor: StreamDescriptor; stream_state?: unknown }
export interface AirbyteStateMessage {
  type?: 'STREAM' | 'GLOBAL' | 'LEGACY';
  stream?: AirbyteStreamState;
  global?: { shared_state?: unknown; stream_states: AirbyteStreamState[] };
  data?: unknown;
  sourceStats?: AirbyteStateStats;
  destinationStats?: AirbyteStateStats;
}

export interface AirbyteLogMessage { level: LogLevel; message: string; stack_trace?: string }

export interface AirbyteErrorTraceMessage {
  message: string;
  internal_message?: string;
  stack_trace?: string;
  failure_type?: FailureType;
  stream_descriptor?: StreamDescriptor;
}
export interface AirbyteEstimateTraceMessage {
  name: string;
  type: 'STREAM' | 'SYNC';
  namespace?: string;
  row_estimate?: number;
  byte_estimate?: number;
}
export interface AirbyteStreamStatusTraceMessage {
  stream_descriptor: StreamDescriptor;
  status: StreamStatus;
  reasons?: { type: 'RATE_LIMITED'; rate_limited?: { quota_reset?: number } }[];
}
export interface AirbyteTraceMessage {
  type: 'ERROR' | 'ESTIMATE' | 'STREAM_STATUS' | 'ANALYTICS';
  emitted_at: number;
  error?: AirbyteErrorTraceMessage;
  estimate?: AirbyteEstimateTraceMessage;
  stream_status?: AirbyteStreamStatusTraceMessage;
}

export interface ConnectorSpecification {
  documentationUrl?: string;
  changelogUrl?: string;
  connectionSpecification: JsonSchema;
  supportsIncremental?: boolean;
  supported_destination_sync_modes?: DestinationSyncMode[];
  protocol_version?: string;
  [k: string]: unknown;
}

export interface AirbyteConnectionStatus { status: 'SUCCEEDED' | 'FAILED'; message?: string }

export interface AirbyteStream {
  name: string;
  namespace?: string;
  json_schema: JsonSchema;
  supported_sync_modes: SyncMode[];
  source_defined_cursor?: boolean;
  default_cursor_field?: string[];
  source_defined_primary_key?: string[][];
  is_resumable?: boolean;
}
export interface AirbyteCatalog { streams: AirbyteStream[] }

export interface ConfiguredAirbyteStream {
  stream: AirbyteStream;
  sync_mode: SyncMode;
  destination_sync_mode: DestinationSyncMode;
  cursor_field?: string[];
  primary_key?: string[][];
  generation_id?: number;
  minimum_generation_id?: number;
  sync_id?: number;
}
export interface ConfiguredAirbyteCatalog { streams: ConfiguredAirbyteStream[] }

export type AirbyteMessage =
  | { type: 'RECORD'; record: AirbyteRecordMessage }
  | { type: 'STATE'; state: AirbyteStateMessage }
  | { type: 'LOG'; log: AirbyteLogMessage }
  | { type: 'SPEC'; spec: ConnectorSpecification }
  | { type: 'CONNECTION_STATUS'; connectionStatus: AirbyteConnectionStatus }
  | { type: 'CATALOG'; catalog: AirbyteCatalog }
  | { type: 'TRACE'; trace: AirbyteTraceMessage };

/** Key for a stream across namespaces: `namespace.name`, or `name` without a namespace. */
export function streamKey(d: StreamDescriptor): string {
  return d.namespace ? `${d.namespace}.${d.name}` : d.name;
}
