// Reads activities newer than a cursor. The App API has no time filter on /activities: pages come
// newest first, so we page until we pass the cursor. The cursor is the newest timestamp seen plus the
// ids seen at exactly that second (so a same-second activity that shows up later is not lost or repeated).
import type { JsonObject } from '../client/cio-client.js';
import { listOf } from '../client/cio-client.js';
import type { CioApi } from '../client/endpoints.js';
import { toInt, toStr } from '../transforms/values.js';
import { DAY_S } from './stream-kit.js';

export interface ActivityCursor { activity_at_s: number; activity_ids: string[] }

/** /activities keeps about 30 days; older cursors need a fresh snapshot instead. */
export const ACTIVITY_RETENTION_S = 29 * DAY_S;

export function isNewer(a: JsonObject, c: ActivityCursor): boolean {
  const ts = toInt(a['timestamp']) ?? 0;
  return ts > c.activity_at_s || (ts === c.activity_at_s && !c.activity_ids.includes(toStr(a['id']) ?? ''));
}

/** Activities of the given types newer than `cursor` and not after `nowS`, oldest first, and the advanced cursor. */
export async function scanActivities(api: CioApi, types: readonly string[], cursor: ActivityCursor, nowS: number): Promise<{ activities: JsonObject[]; cursor: ActivityCursor }> {
  const found: JsonObject[] = [];
  for (const type of types) {
    for await (const page of api.activities(type)) {
      let passed = false;
      for (const a of listOf(page.body, 'activities')) {
        const ts = toInt(a['timestamp']) ?? 0;
        if (ts < cursor.activity_at_s) { passed = true; continue; }
        if (ts > nowS) continue; // future-dated: picked up once its time has come
        if (isNewer(a, cursor)) found.push(a);
      }
      if (passed) break;
    }
  }
  found.sort((x, y) => (toInt(x['timestamp']) ?? 0) - (toInt(y['timestamp']) ?? 0) || String(x['id']).localeCompare(String(y['id'])));
  return { activities: found, cursor: advance(cursor, found) };
}

export function advance(cursor: ActivityCursor, seen: readonly JsonObject[]): ActivityCursor {
  let at = cursor.activity_at_s;
  for (const a of seen) at = Math.max(at, toInt(a['timestamp']) ?? 0);
  const ids = seen.filter((a) => toInt(a['timestamp']) === at).map((a) => toStr(a['id']) ?? '');
  return { activity_at_s: at, activity_ids: at === cursor.activity_at_s ? [...new Set([...cursor.activity_ids, ...ids])] : ids };
}
