// Reads the activities not handled yet. The App API has no time filter on /activities and does not
// document their order (they come roughly newest first), and an activity can show up in the list some
// time after its own timestamp. So each scan takes activities stamped in (previous bound − overlap,
// now − settle], pages until a whole page is older than that overlap, and recognises the ones handled by
// an earlier sync through the state's memory of handled activity ids (cursors/emitted-keys.ts). The same
// memory holds the rows emitted with a time after the bound (a person read now already shows changes
// whose activities the next sync handles), so those rows are not emitted twice.
import type { JsonObject } from '../client/cio-client.js';
import { listOf } from '../client/cio-client.js';
import type { CioApi } from '../client/endpoints.js';
import type { CioConfig } from '../config.js';
import { lateOverlap, settledBound } from '../cursors/bounds.js';
import { EmittedKeys, type EmittedKeysJson } from '../cursors/emitted-keys.js';
import { toInt, toStr } from '../transforms/values.js';
import { DAY_S } from './stream-kit.js';

export interface ActivityCursor {
  /** Activities stamped ≤ this were handled (those visible when the sync that set it ran). */
  activity_at_s: number;
  /** Activities stamped ≤ this need no second look (a people snapshot read everyone as of then). */
  since_s?: number;
  /** Ids of activities handled with a timestamp inside the overlap behind activity_at_s (hashed). */
  emitted?: EmittedKeysJson;
  /** Older form of the state: ids handled at exactly activity_at_s (read, no longer written). */
  activity_ids?: string[];
}

/** /activities keeps about 30 days (documented retention); a scan reaching further back re-snapshots instead. */
export const ACTIVITY_RETENTION_S = 29 * DAY_S;

/** Oldest timestamp a scan from this cursor must look at (exclusive). */
export function scanFloor(cursor: ActivityCursor, config: Pick<CioConfig, 'overlap_seconds'>): number {
  return Math.max(cursor.since_s ?? Number.NEGATIVE_INFINITY, cursor.activity_at_s - lateOverlap(config));
}

/** Whether the activities a scan needs are still kept by the App API. */
export function withinRetention(cursor: ActivityCursor, nowS: number, config: Pick<CioConfig, 'overlap_seconds'>): boolean {
  return nowS - scanFloor(cursor, config) <= ACTIVITY_RETENTION_S;
}

/**
 * The cursor a people snapshot that started at `startedS` leaves behind. `rows` remembers the rows it
 * emitted that changed after it started: the activities of those changes come next, and must not repeat them.
 */
export function cursorAfterSnapshot(startedS: number, rows?: EmittedKeys): ActivityCursor {
  return { activity_at_s: startedS, since_s: startedS, emitted: rows ? rows.toJson(startedS) : [] };
}

/** Memory key of an emitted row (beside the handled activity ids): a row re-derived later is recognised. */
export function rowKey(...parts: unknown[]): string {
  return `row\u0000${parts.map(String).join('\u0000')}`;
}

export interface ActivityScan {
  activities: JsonObject[];
  reread: number;
  /** Handled activity ids and emitted rows; add the rows emitted from this scan before taking `cursor()`. */
  memory: EmittedKeys;
  /** The advanced cursor (call after the scan's rows were emitted). */
  cursor: () => ActivityCursor;
}

/** Activities of the given types not handled yet, oldest first, and the advanced cursor. */
export async function scanActivities(api: CioApi, types: readonly string[], cursor: ActivityCursor, nowS: number, config: CioConfig, stream: string): Promise<ActivityScan> {
  const overlap = lateOverlap(config);
  const bound = Math.max(cursor.activity_at_s, settledBound(nowS, config));
  const floor = scanFloor(cursor, config);
  const memory = EmittedKeys.fromJson(cursor.emitted, stream);
  for (const id of cursor.activity_ids ?? []) memory.add(id, cursor.activity_at_s);
  const found: JsonObject[] = [];
  let reread = 0;
  for (const type of types) {
    for await (const page of api.activities(type)) {
      const items = listOf(page.body, 'activities');
      let newest = Number.NEGATIVE_INFINITY;
      for (const a of items) {
        const ts = toInt(a['timestamp']) ?? 0;
        newest = Math.max(newest, ts);
        if (ts > bound || ts <= floor) continue; // not settled yet / behind the overlap
        const id = toStr(a['id']) ?? '';
        if (memory.has(id, ts)) { reread++; continue; }
        memory.add(id, ts);
        found.push(a);
      }
      if (items.length > 0 && newest <= floor) break; // a whole page behind the overlap: the rest is older
    }
  }
  found.sort((x, y) => (toInt(x['timestamp']) ?? 0) - (toInt(y['timestamp']) ?? 0) || String(x['id']).localeCompare(String(y['id'])));
  const next = (): ActivityCursor => ({ activity_at_s: bound, ...(cursor.since_s !== undefined && cursor.since_s > bound - overlap ? { since_s: cursor.since_s } : {}), emitted: memory.toJson(bound - overlap) });
  return { activities: found, cursor: next, reread, memory };
}
