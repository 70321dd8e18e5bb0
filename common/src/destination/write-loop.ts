// Reads protocol messages from stdin, feeds records to the sink and echoes each STATE only after every
// record before it (in the state's scope) is durably written, with destinationStats.recordCount.
import type { Clock } from '../clock.js';
import { SystemError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Emitter } from '../protocol/emitter.js';
import { streamKey } from '../protocol/types.js';
import type { AirbyteRecordMessage, AirbyteStateMessage, ConfiguredAirbyteCatalog, StreamDescriptor } from '../protocol/types.js';
import type { Destination, Sink } from './contracts.js';
import { splitLineBatches } from './lines.js';
import { limitRecordSize } from './record-size.js';

export interface WriteOptions {
  emitter: Emitter;
  logger: Logger;
  clock: Clock;
  /** Records larger than this (serialised) keep their row with the largest fields nulled. */
  maxRecordBytes?: number;
  /** Flush early when this many states are waiting for their records to become durable. */
  maxPendingStates?: number;
}

interface PendingState { state: AirbyteStateMessage; needs: [string, number][]; count: number }

export interface WriteSummary { records: number; states: number; skipped: number }

export async function writeDestination<C>(
  destination: Destination<C>, config: C, catalog: ConfiguredAirbyteCatalog,
  input: AsyncIterable<Uint8Array | string>, opts: WriteOptions,
): Promise<WriteSummary> {
  const { emitter, logger } = opts;
  const maxRecordBytes = opts.maxRecordBytes ?? 64 * 1024 * 1024;
  const configured = new Map(catalog.streams.map((s) => [streamKey(s.stream), s]));
  const received = new Map<string, number>([...configured.keys()].map((k) => [k, 0]));
  const sinceState = new Map<string, number>([...configured.keys()].map((k) => [k, 0]));
  const warnedUnknown = new Set<string>();
  const pending: PendingState[] = [];
  // Streams the source reported COMPLETE (Airbyte forwards source stream statuses to destinations).
  const completed = new Set<string>();
  let sawStatus = false;
  const summary: WriteSummary = { records: 0, states: 0, skipped: 0 };

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
    for await (const lines of splitLineBatches(input, Math.max(4 * maxRecordBytes, 64 * 1024 * 1024))) for (const line of lines) {
      if (line.bytes === 0 || (line.text.charCodeAt(0) !== 123 && line.text.trim() === '')) continue;
      const msg = parseLine(line.text, line.number);
      if (msg.type === 'RECORD') {
        let record = msg.record as AirbyteRecordMessage;
        const key = record.namespace ? streamKey({ name: record.stream, namespace: record.namespace }) : record.stream;
        const stream = configured.get(key);
        if (!stream) {
          summary.skipped++;
          if (!warnedUnknown.has(key)) {
            warnedUnknown.add(key);
            logger.warn(`record for stream "${key}" (first at line ${line.number}) is not in the configured catalog; its records are skipped`);
          }
          continue;
        }
        record = limitRecordSize(record, line.bytes, maxRecordBytes);
        received.set(key, received.get(key)! + 1);
        sinceState.set(key, sinceState.get(key)! + 1);
        summary.records++;
        const w = sink.write(key, stream, record);
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
          if (s.stream_status.status === 'COMPLETE') completed.add(streamKey(s.stream_status.stream_descriptor));
        }
      }
      // LOG and other messages from the source are not the destination's business.
    }
  } catch (e) {
    // Keep what is already good: make buffered records durable and echo the states they cover,
    // so a rerun resumes as late as possible. Then report the original error.
    await sink.flush().then(echoReady).then(() => sink.close({ completedStreams: new Set() })).catch(async (flushError) => {
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
  if (summary.skipped) logger.warn(`${summary.skipped} record(s) for streams outside the catalog were skipped`);
  return summary;
}

function stateScope(state: AirbyteStateMessage, all: Iterable<string>): string[] {
  const d = state.type === 'STREAM' ? state.stream?.stream_descriptor : undefined;
  if (d?.name) return [streamKey(d)];
  return [...all]; // GLOBAL or LEGACY: every stream must be durable
}

type Parsed = { type: string; record?: unknown; state?: unknown; trace?: unknown };

function parseLine(text: string, number: number): Parsed {
  let v: unknown;
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
  } else if (m.type === 'STATE') {
    if (typeof m.state !== 'object' || m.state === null || Array.isArray(m.state)) {
      throw new InputError(`input line ${number} is a STATE without a valid "state" object`);
    }
  }
  return m;
}

/** Malformed input from the source (system_error: nothing the user can fix in config). */
export class InputError extends SystemError {}
