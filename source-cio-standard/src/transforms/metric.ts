// A delivery's `metrics` map ({metric: unix ts}) → standard `metrics` rows, as Customer.io's metrics file
// has them. The App API's map also carries `human_opened`, `human_clicked`, `prefetch_opened`,
// `prefetch_clicked` (Customer.io's OpenAPI, journeys-app.json listMessages: the first human / prefetched
// open or click) and may carry `created` / `drafted`: those are not events of the metrics file. A
// human_/prefetch_ key at the same second as the plain metric is a flag on that row (`prefetched`
// false / true); at another second it is a further open/click of its own (the API keeps only the first
// of each kind). `created` / `drafted` are dropped. `machine`, `proxied`, `user_agent`, `email_client`,
// `inbox_domain`, `inbox_provider`, `mx_host` are not in the App API: null here (webhooks fill `machine`).
import { createHash } from 'node:crypto';
import type { Row } from './delivery.js';
import { isoFromSeconds, obj, toInt, toStr } from './values.js';

/** Stable id of the (delivery, metric) pair: the same on every sync, so the warehouse can dedupe. */
export function metricEventId(deliveryId: string, metric: string): string {
  return createHash('sha256').update(`${deliveryId}\u0000${metric}`).digest('hex').slice(0, 32);
}

/** Keys of the metrics map that are states of the delivery, not events. */
export const NOT_EVENTS: ReadonlySet<string> = new Set(['created', 'drafted']);
/** human_/prefetch_ keys → the metric they qualify and whether they mean a prefetch. */
const QUALIFIED: Readonly<Record<string, { base: string; prefetched: boolean }>> = {
  human_opened: { base: 'opened', prefetched: false }, prefetch_opened: { base: 'opened', prefetched: true },
  human_clicked: { base: 'clicked', prefetched: false }, prefetch_clicked: { base: 'clicked', prefetched: true },
};

/** The warehouse columns the App API cannot fill (null unless a webhook carries them). */
export const UNKNOWN_METRIC_DETAILS = Object.freeze({ proxied: null, machine: null, user_agent: null, email_client: null, inbox_domain: null, inbox_provider: null, mx_host: null });

interface MetricEvent { metric: string; ts: number; idKey: string; prefetched: boolean | null }

/** The events of a metrics map, oldest first (ties by name): qualified keys folded into their metric. */
export function metricEvents(metrics: Record<string, unknown>): MetricEvent[] {
  const out: MetricEvent[] = [];
  const qualified = new Map<string, { ts: number; key: string; prefetched: boolean }[]>();
  for (const [key, v] of Object.entries(metrics)) {
    const ts = toInt(v);
    if (ts === null || NOT_EVENTS.has(key)) continue;
    const q = QUALIFIED[key];
    if (q) { const list = qualified.get(q.base) ?? []; list.push({ ts, key, prefetched: q.prefetched }); qualified.set(q.base, list); continue; }
    out.push({ metric: key, ts, idKey: key, prefetched: null });
  }
  for (const [base, list] of qualified) {
    let plain = out.find((e) => e.metric === base);
    if (!plain) {
      // `opened`/`clicked` is the first such event of any kind, so the earliest qualified key is that
      // event. The App API may list `human_opened` before `opened` (each metric becomes visible on its
      // own): the row must get the id it will have once `opened` is listed too, or it counts twice.
      const first = list.reduce((a, b) => (b.ts < a.ts ? b : a));
      plain = { metric: base, ts: first.ts, idKey: base, prefetched: null };
      out.push(plain);
    }
    // Qualified keys at the plain metric's second say what its (first) event was; both kinds there: unknown.
    const atPlain = new Set(list.filter((q) => q.ts === plain.ts).map((q) => q.prefetched));
    if (atPlain.size === 1) plain.prefetched = [...atPlain][0]!;
    for (const q of list) if (q.ts !== plain.ts) out.push({ metric: base, ts: q.ts, idKey: q.key, prefetched: q.prefetched });
  }
  return out.sort((a, b) => a.ts - b.ts || (a.idKey < b.idKey ? -1 : 1));
}

/** Metrics whose time is in (afterS, untilS], oldest first (ties by name), as rows. */
export function metricRows(m: Record<string, unknown>, workspaceId: number, afterS: number, untilS: number): Row[] {
  const deliveryId = toStr(m['id']);
  if (deliveryId === null) return [];
  const failure = toStr(m['failure_message']);
  return metricEvents(obj(m['metrics'])).filter((e) => e.ts > afterS && e.ts <= untilS).map((e) => ({
    event_id: metricEventId(deliveryId, e.idKey),
    workspace_id: workspaceId,
    delivery_id: deliveryId,
    metric: e.metric,
    reason: e.metric === 'failed' || e.metric === 'undeliverable' || e.metric === 'bounced' || e.metric === 'dropped' ? failure : null,
    link_id: null, // the App API's delivery object has no link data
    link_url: null,
    created_at: isoFromSeconds(e.ts),
    seq_num: null,
    ...UNKNOWN_METRIC_DETAILS,
    prefetched: e.prefetched,
  }));
}
