// One stream per call type. Each read takes a fixed end position when it starts (now − settle
// window), reads the spool objects after the stream's cursor up to it in key order, and emits the
// calls of its type as rows. SDK retries (same messageId within the dedup window) are emitted once.
// A call that cannot be emitted is quarantined (WARN naming object and messageId, counted); the
// stream moves on.
import { ConfigError, DamagedObjectError, keyBefore, keyTime, spoolObjects, SpoolObjectCache } from '@cio-dw/common';
import type { JsonSchema, ReadContext, SourceStream, SpoolObjectRef, SpoolStore, StreamItem } from '@cio-dw/common';
import type { CallType } from '../calls/call.js';
import { isCallType } from '../calls/call.js';
import type { AdvancedConfig, SpoolState } from './config.js';
import { decodeCall } from './decode-call.js';
import type { Decoded } from './decode-call.js';
import { RecentIds } from './recent-ids.js';
import { missingSpool } from './spool-exists.js';

export interface CallStreamDeps {
  openStore(config: AdvancedConfig): SpoolStore;
  /** Shared by the streams of one source instance: each spool object is read and split by type once. */
  cache?: SpoolObjectCache<CallsByType>;
  /** This stream also reports (quarantines) the lines that belong to no call type. */
  reportsUnroutable?: boolean;
}

/** A spool object's lines grouped by call type (the line's first field); '' for lines of no call type. */
export type CallsByType = Map<string, string[]>;

function typeOf(line: string): string {
  const m = /^\{"type":"([a-z]+)",/.exec(line);
  if (m) return m[1]!;
  try { // not the collector's own layout (e.g. written by hand): look inside
    const t = (JSON.parse(line) as { type?: unknown } | null)?.type;
    return isCallType(t) ? t : '';
  } catch { return ''; }
}

export function groupByType(lines: string[]): CallsByType {
  const out: CallsByType = new Map();
  for (const line of lines) {
    const type = typeOf(line);
    let list = out.get(type);
    if (!list) out.set(type, list = []);
    list.push(line);
  }
  return out;
}

/**
 * Duplicate rule: a copy counts only if a read emitted (or will emit) it. Objects after the cursor
 * are read now. An object behind the cursor was read by an earlier read only if it had landed
 * before that read started, i.e. before key time + settle window (a read that passed key time t
 * started after t + settle). An object that landed later was never acknowledged (acknowledged
 * writes land within max_write_ms < settle) and never read: its calls do not count, so the
 * sender's acknowledged resend is emitted. Stores may report modification times truncated to the
 * second (S3's listings do), so the landing time is taken as up to 1 s after the reported one: in
 * doubt a copy does not count (a possible duplicate, never a loss).
 */
export function seenByEarlierRead(o: SpoolObjectRef, settleMs: number): boolean {
  return o.modifiedMs + MODIFIED_PRECISION_MS <= o.time + settleMs;
}
const MODIFIED_PRECISION_MS = 1000;

const STATE_EVERY_RECORDS = 10_000;
const STATE_EVERY_OBJECTS = 1_000;

export function callStream(type: CallType, jsonSchema: JsonSchema, deps: CallStreamDeps): SourceStream<AdvancedConfig, SpoolState> {
  const cache = deps.cache ?? new SpoolObjectCache(groupByType, 0);
  return {
    name: type,
    jsonSchema,
    primaryKey: [['id']],
    cursorField: ['received_at'],
    syncModes: ['full_refresh', 'incremental'],
    async *read(ctx: ReadContext<AdvancedConfig, SpoolState>): AsyncGenerator<StreamItem<SpoolState>> {
      const { config, clock, logger, signal } = ctx;
      const missing = await missingSpool(config);
      if (missing) throw new ConfigError(missing);
      const store = deps.openStore(config);
      try {
        const settleMs = config.settle_seconds * 1000;
        const endMs = clock.now() - settleMs;
        const cursor = ctx.syncMode === 'incremental' ? ctx.state?.spool_key : undefined;
        const windowMs = config.dedup_window_minutes * 60_000;
        const recent = new RecentIds(windowMs);
        let quarantined = 0;
        let flagged = 0;
        const decoded = async function* (key: string, report: boolean): AsyncGenerator<Decoded> {
          let byType: CallsByType;
          try {
            byType = await cache.get(store, key, signal);
          } catch (e) {
            if (!(e instanceof DamagedObjectError)) throw e;
            // Only a write that never completed (so was never acknowledged) can leave this.
            if (report) logger.warn(`${e.message}; skipped as a whole`);
            return;
          }
          for (const line of byType.get(type) ?? []) yield decodeCall(line);
          if (report && deps.reportsUnroutable) {
            for (const line of byType.get('') ?? []) {
              quarantined++;
              logger.warn(`spool: object ${key}: quarantined a line that is no call (${line.slice(0, 60)}…)`);
            }
          }
        };
        // Seed the duplicate filter with the ids an earlier read emitted within the window before the cursor.
        const cursorTime = cursor !== undefined ? keyTime(cursor) : undefined;
        if (cursor !== undefined && cursorTime !== undefined && windowMs > 0) {
          for await (const o of spoolObjects(store, { after: keyBefore(cursorTime - windowMs), upTo: cursor, signal })) {
            if (!seenByEarlierRead(o, settleMs)) continue;
            for await (const d of decoded(o.key, false)) if ('row' in d) recent.seen(d.messageId, o.time);
          }
        }
        let last = cursor;
        let records = 0; let duplicates = 0; let objects = 0; let sinceRecords = 0; let sinceObjects = 0;
        for await (const o of spoolObjects(store, { ...(cursor !== undefined ? { after: cursor } : {}), beforeMs: endMs, signal })) {
          for await (const d of decoded(o.key, true)) {
            if ('error' in d) {
              quarantined++;
              logger.warn(`${type}: quarantined call ${d.messageId ?? '(no messageId)'} of spool object ${o.key}: ${d.error}; not emitted`);
              continue;
            }
            if (windowMs > 0 ? recent.seen(d.messageId, o.time) : false) { duplicates++; continue; }
            records++; sinceRecords++;
            if (d.row.validation_error !== null) flagged++;
            yield { kind: 'record', data: d.row };
          }
          last = o.key; objects++; sinceObjects++;
          if (sinceRecords >= STATE_EVERY_RECORDS || sinceObjects >= STATE_EVERY_OBJECTS) {
            sinceRecords = 0; sinceObjects = 0;
            yield { kind: 'state', state: { spool_key: o.key } };
          }
        }
        if (last !== undefined) yield { kind: 'state', state: { spool_key: last } };
        const q = `${flagged ? `, ${flagged} flagged as failing the source spec` : ''}${quarantined ? `, ${quarantined} quarantined` : ''}`;
        logger.info(`${type}: read ${objects} spool object(s) up to ${new Date(Math.max(0, endMs)).toISOString()}: ${records} call(s), ${duplicates} duplicate(s) dropped${q}`);
      } finally {
        await store.close();
      }
    },
  };
}
