// What a source connector implements. Streams are async generators; the read loop owns protocol output.
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { ConnectorSpecification, JsonSchema, SyncMode } from '../protocol/types.js';

/** What a stream yields: a record, a checkpoint of its own state, or a size estimate. */
export type StreamItem<S> =
  | { kind: 'record'; data: Record<string, unknown> }
  | { kind: 'state'; state: S }
  | { kind: 'estimate'; rows?: number; bytes?: number };

export interface ReadContext<C, S> {
  config: C;
  /** The stream's state from the previous sync, or undefined on a first sync / full refresh. */
  state: S | undefined;
  syncMode: SyncMode;
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
}

export interface SourceStream<C, S = unknown> {
  /** Literal snake_case name. */
  readonly name: string;
  readonly namespace?: string;
  readonly jsonSchema: JsonSchema;
  readonly primaryKey: string[][];
  /** Present for incremental streams (source-defined cursor). */
  readonly cursorField?: string[];
  readonly syncModes: SyncMode[];
  /** Yields records and checkpoints. Must not mutate the state it was given. */
  read(ctx: ReadContext<C, S>): AsyncIterable<StreamItem<S>>;
}

export type CheckResult = { ok: true } | { ok: false; message: string };

export interface ConnectorContext {
  logger: Logger;
  clock: Clock;
}

export interface Source<C> {
  spec: ConnectorSpecification;
  check(config: C, ctx: ConnectorContext): Promise<CheckResult>;
  /** Every stream the source can read (discover lists these). */
  streams(config: C, ctx: ConnectorContext): SourceStream<C, any>[] | Promise<SourceStream<C, any>[]>;
}
