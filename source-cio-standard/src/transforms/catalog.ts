// App API list items (campaigns, actions, broadcasts, newsletters, contents, segments): App API field
// names kept; only ids are normalised (action ids sometimes arrive as strings) and parents filled in.
import { createHash } from 'node:crypto';
import type { Row } from './delivery.js';
import { normaliseId, toInt } from './values.js';

/** The item with `id` normalised and the given fields added (e.g. the parent id of a fan-out). */
export function catalogRow(item: Record<string, unknown>, add: Record<string, unknown> = {}): Row {
  const out: Row = { ...item, ...add };
  if ('id' in item) out['id'] = normaliseId(item['id']);
  if (Array.isArray(item['actions'])) {
    out['actions'] = item['actions'].map((a) => (typeof a === 'object' && a !== null ? { ...a, id: normaliseId((a as Row)['id']) } : a));
  }
  return out;
}

/**
 * The item's change time in epoch seconds: `updated` / `updated_at`, else the timestamp of
 * `deduplicate_id` ("<id>:<last updated unix ts>", the App API's documented format; newsletter contents
 * have nothing else), else `created`, else 0 (unknown).
 */
export function updatedOf(item: Record<string, unknown>, field: 'updated' | 'updated_at'): number {
  return toInt(item[field]) ?? dedupTimestamp(item['deduplicate_id']) ?? toInt(item['created'] ?? item['created_at']) ?? 0;
}

/** The timestamp after the last ':' of a deduplicate_id, or null. */
export function dedupTimestamp(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const i = v.lastIndexOf(':');
  return i < 0 ? null : toInt(v.slice(i + 1));
}

/** A child row with its cursor field: `updated` as sent, or derived from deduplicate_id when the API sends none. */
export function childRow(item: Record<string, unknown>, add: Record<string, unknown>): Row {
  const row = catalogRow(item, add);
  if (toInt(item['updated']) === null) {
    const ts = dedupTimestamp(item['deduplicate_id']);
    if (ts !== null) row['updated'] = ts;
  }
  return row;
}

/** A short hash of an item as read: tells a same-second change apart (timestamps are whole seconds). */
export function itemDigest(item: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(item)).digest('hex').slice(0, 16);
}
