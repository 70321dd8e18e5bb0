// Reads protocol messages from stdin, feeds records to the sink and echoes each STATE only after every
// record before it (in the state's scope) is durably written, with destinationStats.recordCount.
import type { Clock } from '../clock.js';
import { SystemError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Emitter } from '../protocol/emitter.js';
import { streamId } from '../protocol/catalog.js';
import type { AirbyteRecordMessage, AirbyteStateMessage, ConfiguredAirbyteCatalog, StreamDescriptor } from '../protocol/types.js';
import type { Destination, Sink } from './contracts.js';
import { hasUnsafeNumber, makeWellFormed, parseJsonLossless } from './json-lossless.js';
import { splitLineBatches, type LineOptions } from './lines.js';
import { OversizeLineScanner } from './oversize-line.js';
import { limitRecordSize } from './record-size.js';

export interface WriteOptions {
  emitter: Emitter;
  logger: Logger;
  clock: Clock;
  /** Records larger than this (serialised) keep their row with the largest fields nulled. */
  maxRecordBytes?: number;
  /** Flush early when this many states are waiting for their records to become durable. */
  maxPendingStates?: number;
  /** Cancellation (SIGTERM): stop reading, keep what is already durable, abort the rest. */
  signal?: AbortSignal;
}

interface PendingState { state: AirbyteStateMessage; needs: [string, number][]; count: number }

export interface WriteSummary { records: number; states: number }

export async function writeDestination<C>(
  destination: Destination<C>, config: C, catalog: ConfiguredAirbyteCatalog,
  input: AsyncIterable<Uint8Array | string>, opts: WriteOptions,
): Promise<WriteSummary> {
  const { emitter, logger } = opts;
  const maxRecordBytes = opts.maxRecordBytes ?? 64 * 1024 * 1024;
  const configured = new Map(catalog.streams.map((s) => [streamId(s.stream), s]));
  const received = new Map<string, number>([...configured.keys()].map((k) => [k, 0]));
  const sinceState = new Map<string, number>([...configured.keys()].map((k) => [k, 0]));
  const pending: PendingState[] = [];
  // Streams the source reported COMPLETE (Airbyte forwards source stream statuses to destinations).
  const completed = new Set<string>();
  let sawStatus = false;
  const summary: WriteSummary = { records: 0, states: 0 };

  const sink: Sink = await destination.open(config, catalog, { logger, clock: opts.clock });
  let echoing: Promise<void> = Promise.resolve();
  const echoReady = (): Promise<void> => {
    echoing = echoing.then(async () => {
      while (pending.length) {
        const head = pending[0]!;
        if (!head.needs.every(([k, n]) => sink.durableCount(k) >= n)) break;
        pending.shift();
        summary.states++;
        await emitter.emit({ type: 'STATE', state: { ...head.state, destinationStats: { recordCount: head.count } } });
      }
    });
    return echoing;
  };
  sink.onDurable(() => { void echoReady(); });

  try {
    // Lines over the record size limit are never held whole: they stream through a scanner that keeps
    // the record's small fields (the rest become NULLED), whatever the line's size.
    const oversize: LineOptions = { streamAbove: maxRecordBytes, scan: () => new OversizeLineScanner(Math.floor(maxRecordBytes / 4), Math.floor(maxRecordBytes / 2)) };
    for await (const lines of untilCancelled(splitLineBatches(input, Number.MAX_SAFE_INTEGER, oversize), opts.signal)) for (const line of lines) {
      if (line.bytes === 0 || (line.text.charCodeAt(0) !== 123 && line.text.trim() === '')) continue;
      const msg = parseLine(line.text, line.number);
      if (line.nulled && msg.type !== 'RECORD') {
        throw new InputError(`input line ${line.number} is a ${msg.type} message of ${line.bytes} bytes, over the ${maxRecordBytes}-byte record size limit; only records can be shortened`);
      }
      if (msg.type === 'RECORD') {
        let record = msg.record as AirbyteRecordMessage;
        // Airbyte's rule: a record belongs to the configured stream with exactly its name and
        // namespace (the platform rewrites namespaces before the destination sees them).
        const key = streamId({ name: record.stream, namespace: record.namespace });
        const stream = configured.get(key);
        if (!stream) throw unplaceable(record, line.number, catalog);
        record = line.nulled ? withNulled(record, line.nulled) : limitRecordSize(record, line.bytes, maxRecordBytes);
        received.set(key, received.get(key)! + 1);
        sinceState.set(key, sinceState.get(key)! + 1);
        summary.records++;
        const w = sink.write(key, stream, record, line.text);
        if (w) await w;
      } else if (msg.type === 'STATE') {
        const state = msg.state as AirbyteStateMessage;
        const scope = stateScope(state, configured.keys());
        const needs = scope.map((k) => [k, received.get(k) ?? 0] as [string, number]);
        const count = scope.reduce((n, k) => n + (sinceState.get(k) ?? 0), 0);
        for (const k of scope) if (sinceState.has(k)) sinceState.set(k, 0);
        pending.push({ state, needs, count });
        if (pending.length > (opts.maxPendingStates ?? 10_000)) await sink.flush(pending[0]!.needs.map(([k]) => k));
        await echoReady();
      } else if (msg.type === 'TRACE') {
        const s = (msg.trace as { type?: string; stream_status?: { status?: string; stream_descriptor?: StreamDescriptor } } | undefined);
        if (s?.type === 'STREAM_STATUS' && typeof s.stream_status?.stream_descriptor?.name === 'string') {
          sawStatus = true;
          if (s.stream_status.status === 'COMPLETE') completed.add(streamId(s.stream_status.stream_descriptor));
        }
      }
      // LOG and other messages from the source are not the destination's business.
    }
  } catch (e) {
    if (opts.signal?.aborted && e === opts.signal.reason) {
      // Cancelled: finish the batches already being written, echo their states, abort open files.
      await sink.abort(e).catch(() => undefined);
      await echoReady();
      throw e;
    }
    // Keep what is already good: make buffered records durable and echo the states they cover,
    // so a rerun resumes as late as possible. Then report the original error. The sync failed, so
    // no final manifest is written (nothing is marked complete).
    await sink.flush().then(echoReady).then(() => sink.abort(e)).catch(async (flushError) => {
      logger.warn(`could not save buffered records after the error: ${(flushError as Error).message}`);
      await sink.abort(flushError);
    });
    throw e;
  }
  try {
    await sink.flush();
    await echoReady();
    // A source that reports no stream statuses at all (older protocol) counts as complete at a clean end of input.
    await sink.close({ completedStreams: sawStatus ? completed : new Set(configured.keys()) });
    await echoReady();
  } catch (e) {
    await sink.abort(e);
    throw e;
  }
  if (pending.length) throw new SystemError(`bucket: ${pending.length} state(s) were not echoed because their records were not confirmed durable`);
  return summary;
}

function stateScope(state: AirbyteStateMessage, all: Iterable<string>): string[] {
  const d = state.type === 'STREAM' ? state.stream?.stream_descriptor : undefined;
  if (d?.name) return [streamId(d)];
  return [...all]; // GLOBAL or LEGACY: every stream must be durable
}

type Parsed = { type: string; record?: unknown; state?: unknown; trace?: unknown };

/** An escaped surrogate (`\ud800`): the line's strings are checked for lone ones. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
/** emitted_at must be a time in years 0001–9999 (epoch ms). */
const MIN_EMITTED_AT = -62_135_596_800_000;
const MAX_EMITTED_AT = 253_402_300_799_999;

function parseLine(text: string, number: number): Parsed {
  let v: unknown;
  // indexOf is native and cheap; the regex runs only on the rare lines with a \u escape.
  const careful = text.indexOf('\\u') !== -1 && SURROGATE_ESCAPE.test(text);
  try {
    v = JSON.parse(text);
  } catch {
    throw new InputError(`input line ${number} is not valid JSON; the source emitted a malformed message`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v) || typeof (v as Parsed).type !== 'string') {
    throw new InputError(`input line ${number} is not an Airbyte message (no "type")`);
  }
  const m = v as Parsed;
  if (m.type === 'RECORD') {
    const r = m.record as Partial<AirbyteRecordMessage> | undefined;
    if (!r || typeof r !== 'object' || typeof r.stream !== 'string' || typeof r.data !== 'object' || r.data === null || Array.isArray(r.data) || typeof r.emitted_at !== 'number') {
      throw new InputError(`input line ${number} is a RECORD without a valid "record" (needs stream, data object and emitted_at)`);
    }
    if (!(r.emitted_at >= MIN_EMITTED_AT && r.emitted_at <= MAX_EMITTED_AT)) {
      throw new InputError(`input line ${number} is a RECORD whose emitted_at (${r.emitted_at}) is not a time in years 0001–9999 in epoch milliseconds`);
    }
    if (careful) {
      // Text that cannot be written as UTF-8 (lone surrogates) becomes U+FFFD, recorded per field.
      const fields = makeWellFormed(r.data);
      if (fields.length) {
        const changes = [...(r.meta?.changes ?? []), ...fields.map((field) => ({ field, change: 'TRUNCATED' as const, reason: 'DESTINATION_SERIALIZATION_ERROR' as const }))];
        r.meta = { ...(r.meta ?? {}), changes };
      }
    }
  } else if (m.type === 'STATE') {
    if (typeof m.state !== 'object' || m.state === null || Array.isArray(m.state)) {
      throw new InputError(`input line ${number} is a STATE without a valid "state" object`);
    }
    // The state goes back to the platform and then to the source: a cursor beyond 2^53 must keep every digit.
    if (hasUnsafeNumber(m.state)) m.state = (parseJsonLossless(text) as Parsed).state;
  }
  return m;
}

/** Records the fields an oversize line lost while it was streamed (see oversize-line.ts). */
function withNulled(record: AirbyteRecordMessage, fields: string[]): AirbyteRecordMessage {
  if (!fields.length) return record;
  const changes = [...(record.meta?.changes ?? []), ...fields.map((field) => ({ field, change: 'NULLED' as const, reason: 'DESTINATION_RECORD_SIZE_LIMITATION' as const }))];
  return { ...record, meta: { ...(record.meta ?? {}), changes } };
}

function unplaceable(record: AirbyteRecordMessage, line: number, catalog: ConfiguredAirbyteCatalog): InputError {
  const ns = record.namespace ? `namespace "${record.namespace}"` : 'no namespace';
  const known = catalog.streams.filter((s) => s.stream.name === record.stream)
    .map((s) => (s.stream.namespace ? `namespace "${s.stream.namespace}"` : 'no namespace'));
  return new InputError(`input line ${line} is a RECORD for stream "${record.stream}" with ${ns}, which is not in the configured catalog` +
    `${known.length ? ` (the catalog has "${record.stream}" with ${known.join(', ')})` : ''}; the destination cannot place it, so the sync stops before any later state is echoed`);
}

/**
 * Yields from `it` until `signal` aborts, then throws its reason (even while waiting for input).
 * One listener per wait, removed when the wait ends: racing every read against one long-lived
 * promise would keep every batch of lines reachable (a leak as large as the input).
 */
async function* untilCancelled<T>(it: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  if (!signal) { yield* it; return; }
  const iter = it[Symbol.asyncIterator]();
  try {
    for (;;) {
      signal.throwIfAborted();
      const r = await new Promise<IteratorResult<T>>((resolve, reject) => {
        const onAbort = (): void => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        iter.next().then(
          (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
          (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); },
        );
      });
      if (r.done) return;
      yield r.value;
    }
  } finally {
    if (signal.aborted) void iter.return?.(undefined)?.catch?.(() => undefined);
  }
}

/** Malformed input from the source (system_error: nothing the user can fix in config). */
export class InputError extends SystemError {}
