// A delivery's `metrics` map ({metric: unix ts}) → one standard `metrics` row per metric.
import { createHash } from 'node:crypto';
import type { Row } from './delivery.js';
import { isoFromSeconds, obj, toInt, toStr } from './values.js';

/** Stable id of the (delivery, metric) pair: the same on every sync, so the warehouse can dedupe. */
export function metricEventId(deliveryId: string, metric: string): string {
  return createHash('sha256').update(`${deliveryId}\u0000${metric}`).digest('hex').slice(0, 32);
}

/** Metrics whose time is in (afterS, untilS], oldest first (ties by name), as rows. */
export function metricRows(m: Record<string, unknown>, workspaceId: number, afterS: number, untilS: number): Row[] {
  const deliveryId = toStr(m['id']);
  if (deliveryId === null) return [];
  const entries: [string, number][] = [];
  for (const [metric, v] of Object.entries(obj(m['metrics']))) {
    const ts = toInt(v);
    if (ts !== null && ts > afterS && ts <= untilS) entries.push([metric, ts]);
  }
  entries.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  const failure = toStr(m['failure_message']);
  return entries.map(([metric, ts]) => ({
    event_id: metricEventId(deliveryId, metric),
    workspace_id: workspaceId,
    delivery_id: deliveryId,
    metric,
    reason: metric === 'failed' || metric === 'undeliverable' || metric === 'bounced' || metric === 'dropped' ? failure : null,
    link_id: null, // the App API's delivery object has no link data
    link_url: null,
    created_at: isoFromSeconds(ts),
    seq_num: null,
  }));
}
