// One stream per call type. Each read takes a fixed end position when it starts (now − settle
// window), reads the spool objects after the stream's cursor up to it in key order, and emits the
// calls of its type as rows. SDK retries (same messageId within the dedup window) are emitted once.
import { DamagedObjectError, keyBefore, keyTime, spoolObjects, SpoolObjectCache } from '@cio-dw/common';
import type { JsonSchema, ReadContext, SourceStream, SpoolStore, StreamItem } from '@cio-dw/common';
import type { CallType, SpooledCall } from '../calls/call.js';
import { callToRow } from '../calls/row.js';
import type { AdvancedConfig, SpoolState } from './config.js';
import { RecentIds } from './recent-ids.js';

export interface CallStreamDeps {
  openStore(config: AdvancedConfig): SpoolStore;
  /** Shared by the streams of one source instance: each spool object is read and split by type once. */
  cache?: SpoolObjectCache<CallsByType>;
}

/** A spool object's lines grouped by call type (the line's first field). */
export type CallsByType = Map<string, string[]>;

export function groupByType(lines: string[]): CallsByType {
  const out: CallsByType = new Map();
  for (const line of lines) {
    const m = /^\{"type":"([a-z]+)",/.exec(line);
    const type = m ? m[1]! : '';
    let list = out.get(type);
    if (!list) out.set(type, list = []);
    list.push(line);
  }
  return out;
}

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
      const store = deps.openStore(config);
      try {
        const endMs = clock.now() - config.settle_seconds * 1000;
        const cursor = ctx.syncMode === 'incremental' ? ctx.state?.spool_key : undefined;
        const windowMs = config.dedup_window_minutes * 60_000;
        const recent = new RecentIds(windowMs);
        const idsOf = async function* (key: string): AsyncGenerator<SpooledCall> {
          let byType: CallsByType;
          try {
            byType = await cache.get(store, key, signal);
          } catch (e) {
            if (!(e instanceof DamagedObjectError)) throw e;
            // Only a write that never completed (so was never acknowledged) can leave this.
            logger.warn(`${e.message}; skipped as a whole`);
            return;
          }
          for (const line of byType.get(type) ?? []) yield JSON.parse(line) as SpooledCall;
        };
        // Seed the duplicate filter with the ids received within the window before the cursor.
        const cursorTime = cursor !== undefined ? keyTime(cursor) : undefined;
        if (cursor !== undefined && cursorTime !== undefined && windowMs > 0) {
          for await (const o of spoolObjects(store, { after: keyBefore(cursorTime - windowMs), upTo: cursor, signal })) {
            for await (const call of idsOf(o.key)) recent.seen(call.messageId, o.time);
          }
        }
        let last = cursor;
        let records = 0; let duplicates = 0; let objects = 0; let sinceRecords = 0; let sinceObjects = 0;
        for await (const o of spoolObjects(store, { ...(cursor !== undefined ? { after: cursor } : {}), beforeMs: endMs, signal })) {
          for await (const call of idsOf(o.key)) {
            if (windowMs > 0 ? recent.seen(call.messageId, o.time) : false) { duplicates++; continue; }
            records++; sinceRecords++;
            yield { kind: 'record', data: callToRow(call) };
          }
          last = o.key; objects++; sinceObjects++;
          if (sinceRecords >= STATE_EVERY_RECORDS || sinceObjects >= STATE_EVERY_OBJECTS) {
            sinceRecords = 0; sinceObjects = 0;
            yield { kind: 'state', state: { spool_key: o.key } };
          }
        }
        if (last !== undefined) yield { kind: 'state', state: { spool_key: last } };
        logger.info(`${type}: read ${objects} spool object(s) up to ${new Date(Math.max(0, endMs)).toISOString()}: ${records} call(s), ${duplicates} duplicate(s) dropped`);
      } finally {
        await store.close();
      }
    },
  };
}
