// App API list items (campaigns, actions, broadcasts, newsletters, contents, segments): App API field
// names kept; only ids are normalised (action ids sometimes arrive as strings) and parents filled in.
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

/** The item's change time in epoch seconds (`updated` or `updated_at`), or 0 when missing. */
export function updatedOf(item: Record<string, unknown>, field: 'updated' | 'updated_at'): number {
  return toInt(item[field]) ?? toInt(item['created'] ?? item['created_at']) ?? 0;
}
