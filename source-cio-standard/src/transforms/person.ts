// Customer (POST /customers/attributes item) → standard `people` row; attributes → `attributes` rows.
import type { Row } from './delivery.js';
import { isoFromSeconds, obj, toInt, toStr } from './values.js';

export function cioIdOf(c: Record<string, unknown>): string | null {
  return toStr(obj(c['identifiers'])['cio_id']) ?? toStr(obj(c['attributes'])['cio_id']);
}

/** Latest attribute timestamp (the person's last change), epoch seconds, or null. */
export function lastChangeOf(c: Record<string, unknown>): number | null {
  let max: number | null = null;
  for (const v of Object.values(obj(c['timestamps']))) {
    const n = toInt(v);
    if (n !== null && (max === null || n > max)) max = n;
  }
  return max;
}

export function personRow(c: Record<string, unknown>, workspaceId: number, updatedAtS?: number): Row {
  const attrs = obj(c['attributes']);
  const ids = obj(c['identifiers']);
  const created = toInt(attrs['created_at']);
  return {
    workspace_id: workspaceId,
    customer_id: toStr(ids['id'] ?? c['id'] ?? attrs['id']),
    internal_customer_id: cioIdOf(c),
    deleted: false,
    // No documented attribute or field of the App API reports suppression (customerio.md §4): unknown is
    // null, not false. An explicit boolean `suppressed`, should the API send one, is kept.
    suppressed: typeof c['suppressed'] === 'boolean' ? c['suppressed'] : null,
    created_at: isoFromSeconds(created ?? 0), // epoch placeholder when unknown, as in Customer.io's files
    updated_at: isoFromSeconds(updatedAtS ?? lastChangeOf(c) ?? created ?? 0),
    email_addr: toStr(ids['email'] ?? attrs['email']),
  };
}

/** A person seen deleted (profile_delete activity): the identifiers we know and deleted=true. */
export function deletedPersonRow(activity: Record<string, unknown>, workspaceId: number): Row {
  const ids = obj(activity['customer_identifiers']);
  return {
    workspace_id: workspaceId,
    customer_id: toStr(ids['id'] ?? activity['customer_id']),
    internal_customer_id: toStr(ids['cio_id']),
    deleted: true,
    suppressed: null,
    created_at: isoFromSeconds(0),
    updated_at: isoFromSeconds(activity['timestamp']),
    email_addr: toStr(ids['email']),
  };
}

/** One `attributes` row per current attribute, stamped with its own change time (first sync). */
export function attributeRowsOfCustomer(c: Record<string, unknown>, workspaceId: number): Row[] {
  const cioId = cioIdOf(c);
  const ts = obj(c['timestamps']);
  const attrs = obj(c['attributes']);
  return Object.keys(attrs).sort().map((name) => ({
    workspace_id: workspaceId,
    internal_customer_id: cioId,
    attribute_name: name,
    attribute_value: toStr(attrs[name]),
    timestamp: isoFromSeconds(ts[name] ?? attrs['created_at'] ?? 0),
  }));
}

/** One `attributes` row per attribute changed in an `attribute_change` activity ({attr: {from, to}}). */
export function attributeRowsOfActivity(a: Record<string, unknown>, workspaceId: number): Row[] {
  const cioId = toStr(obj(a['customer_identifiers'])['cio_id']);
  const data = obj(a['data']);
  return Object.keys(data).sort().map((name) => {
    const change = obj(data[name]);
    return {
      workspace_id: workspaceId,
      internal_customer_id: cioId,
      attribute_name: name,
      attribute_value: toStr('to' in change ? change['to'] : data[name]),
      timestamp: isoFromSeconds(a['timestamp']),
    };
  });
}
