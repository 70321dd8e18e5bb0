// Reading the reporting-webhook spool for a stream: spool objects after the stream's cursor and older
// than the settle window, each turned into parsed events in time order (ties by event_id). The stream's
// memory (what it emitted) is loaded from the snapshot its state names and saved at every checkpoint
// (memory.ts), so STATE stays `{spool_key, memory_key}` whatever the volume.
import { openSpoolStore, spoolBatches } from '@cio-dw/common';
import type { ReadContext, SpoolStore, StreamItem } from '@cio-dw/common';
import type { CioConfig, WebhookSpoolConfig } from '../config.js';
import { parseReportingEvent, type ReportingEvent } from './event.js';
import { loadMemory, pruneMemory, saveMemory } from './memory.js';

/** Where a stream is in the webhook spool: the last spool object read and the memory snapshot. */
export interface WebhookCursor { spool_key?: string; memory_key?: string }

export const CHECKPOINT_EVERY_OBJECTS = 1000;
/** Events held between checkpoints at most (they are sorted by time together before rows are made). */
export const MAX_EVENTS_PER_CHECKPOINT = 50_000;

/** Time order, ties by event_id. */
export function byTime(a: ReportingEvent, b: ReportingEvent): number {
  return a.timestampS - b.timestampS || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
}

/** Pure: a spool object's lines → valid events, time-ordered; `bad` counts lines that do not parse. */
export function eventsOfLines(lines: readonly string[]): { events: ReportingEvent[]; bad: number } {
  const events: ReportingEvent[] = [];
  let bad = 0;
  for (const line of lines) {
    let json: unknown;
    try { json = JSON.parse(line); } catch { bad++; continue; }
    const r = parseReportingEvent(json);
    if (r.ok) events.push(r.event); else bad++;
  }
  events.sort(byTime);
  return { events, bad };
}

export interface WebhookReadHooks<S> {
  /** The stream name (names the memory snapshots). */
  name: string;
  /** Restores the memory from a snapshot's JSON (undefined: empty). */
  load(json: unknown): void;
  /** Rows for time-ordered events (of the spool objects read since the last checkpoint); updates the memory. */
  rows(events: ReportingEvent[]): Record<string, unknown>[];
  /** The memory to save (already pruned). */
  save(): unknown;
  /** The stream's state for a webhook cursor. */
  stateOf(cursor: WebhookCursor): S;
}

export function openWebhookStore(wh: WebhookSpoolConfig): SpoolStore {
  return openSpoolStore(wh.spool);
}

/** Reads the webhook spool after `cursor`; yields rows and checkpoints `stateOf({spool_key, memory_key})`; returns the last cursor. */
export async function* readWebhookSpool<S>(
  ctx: ReadContext<CioConfig, unknown>, wh: WebhookSpoolConfig, cursor: WebhookCursor | undefined, h: WebhookReadHooks<S>,
  given?: SpoolStore,
): AsyncGenerator<StreamItem<S>, WebhookCursor> {
  const { clock, logger, signal } = ctx;
  const store = given ?? openWebhookStore(wh);
  try {
    const start = ctx.syncMode === 'incremental' ? cursor : undefined;
    const endMs = clock.now() - wh.settle_seconds * 1000;
    h.load(await loadMemory(store, start?.memory_key, logger, signal));
    await pruneMemory(store, h.name, start?.memory_key, clock.now());
    let at: WebhookCursor = { ...start };
    let objects = 0; let since = 0; let records = 0; let bad = 0;
    const checkpoint = async (spoolKey: string): Promise<S> => {
      at = { spool_key: spoolKey, memory_key: await saveMemory(store, h.name, clock.now(), h.save()) };
      return h.stateOf(at);
    };
    let last: string | undefined;
    // Events of all spool objects up to the next checkpoint are taken together in time order, so an
    // event that arrived late (a sender's retry) still counts as the first of its journey or metric
    // when it is the earliest among those read together.
    let pending: ReportingEvent[] = [];
    for await (const b of spoolBatches(store, { ...(start?.spool_key !== undefined ? { after: start.spool_key } : {}), beforeMs: endMs, signal }, logger)) {
      const parsed = eventsOfLines(b.lines);
      bad += parsed.bad;
      for (const e of parsed.events) pending.push(e);
      last = b.key; objects++; since++;
      if (since >= CHECKPOINT_EVERY_OBJECTS || pending.length >= MAX_EVENTS_PER_CHECKPOINT) {
        for (const row of h.rows(pending.sort(byTime))) { records++; yield { kind: 'record', data: row }; }
        pending = []; since = 0;
        yield { kind: 'state', state: await checkpoint(b.key) };
      }
    }
    if (last !== undefined && since > 0) {
      for (const row of h.rows(pending.sort(byTime))) { records++; yield { kind: 'record', data: row }; }
      yield { kind: 'state', state: await checkpoint(last) };
    }
    else if (last === undefined && start !== undefined) yield { kind: 'state', state: h.stateOf(start) };
    if (bad) logger.warn(`${h.name}: ${bad} spool line(s) are not valid reporting events; skipped`);
    logger.info(`${h.name}: read ${objects} webhook spool object(s) up to ${new Date(Math.max(0, endMs)).toISOString()}: ${records} row(s)`);
    return at;
  } finally {
    if (!given) await store.close(); // a store passed in belongs to the caller
  }
}
