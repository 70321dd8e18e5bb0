// What a destination connector implements: a batching sink the write loop feeds.
import type { CheckResult, ConnectorContext } from '../source/contracts.js';
import type { AirbyteRecordMessage, ConfiguredAirbyteCatalog, ConfiguredAirbyteStream, ConnectorSpecification } from '../protocol/types.js';

/**
 * A sink buffers records per stream and writes them durably in batches.
 * Contract: `durableCount(key)` is the number of records of that stream (in arrival order) that are
 * durably written; it only grows. `flush(keys)` resolves once every record written so far for those
 * streams is durable. `onDurable` is called whenever durable counts grow (e.g. after a timer flush),
 * so the write loop can echo states without waiting for more input.
 */
export interface Sink {
  /**
   * `line` is the record's input line: a sink that finds a number JSON.parse may have rounded (beyond
   * 2^53) re-reads it exactly with `exactRecordData(line, record.data)`; only those records pay for it.
   */
  write(key: string, stream: ConfiguredAirbyteStream, record: AirbyteRecordMessage, line?: string): Promise<void> | void;
  flush(keys?: string[]): Promise<void>;
  durableCount(key: string): number;
  onDurable(listener: () => void): void;
  /**
   * Called after all input is read (or after bad input, once buffers are flushed); writes final
   * artefacts (manifests). `completedStreams` are the streams the source reported COMPLETE: only
   * those may be marked as a finished generation (overwrite); the rest were cut short.
   */
  close(outcome: CloseOutcome): Promise<void>;
  /** Called on failure: release resources, abort uploads; never makes a partial object visible. */
  abort(reason: unknown): Promise<void>;
}

export interface CloseOutcome { completedStreams: ReadonlySet<string> }

export interface Destination<C> {
  spec: ConnectorSpecification;
  check(config: C, ctx: ConnectorContext): Promise<CheckResult>;
  open(config: C, catalog: ConfiguredAirbyteCatalog, ctx: ConnectorContext): Promise<Sink>;
}
