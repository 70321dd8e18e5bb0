// Reporting-webhook events of one delivery (reference §3.4 and Appendix B). Pure and deterministic:
// the first event of each (delivery, metric) happens at the time the App API's `metrics` map shows;
// repeats (further opens, further clicks) are derived from (seed, delivery) and come later.
import { Rand, hash, STREAM } from '../rng.js';
import type { Delivery } from './deliveries.js';
import type { MessageType, Sender } from './catalog.js';

export type ObjectType = 'email' | 'push' | 'sms' | 'whatsapp' | 'slack' | 'webhook' | 'in_app';
export const OBJECT_TYPE: Readonly<Record<MessageType, ObjectType>> = { email: 'email', push: 'push', twilio: 'sms', webhook: 'webhook', in_app: 'in_app' };

/** Which metrics each channel reports (Appendix B). Metrics outside a channel's list are never sent. */
export const CHANNEL_METRICS: Readonly<Record<ObjectType, readonly string[]>> = {
  email: ['drafted', 'attempted', 'sent', 'delivered', 'opened', 'clicked', 'converted', 'unsubscribed', 'bounced', 'dropped', 'spammed', 'failed', 'undeliverable'],
  push: ['drafted', 'attempted', 'sent', 'delivered', 'opened', 'clicked', 'converted', 'bounced', 'dropped', 'failed', 'undeliverable'],
  sms: ['drafted', 'attempted', 'sent', 'delivered', 'clicked', 'converted', 'bounced', 'failed', 'undeliverable', 'replied'],
  whatsapp: ['drafted', 'attempted', 'sent', 'delivered', 'opened', 'clicked', 'converted', 'bounced', 'dropped', 'failed', 'undeliverable', 'replied'],
  slack: ['drafted', 'attempted', 'sent', 'clicked', 'failed', 'undeliverable'],
  webhook: ['drafted', 'attempted', 'sent', 'clicked', 'failed', 'undeliverable'],
  in_app: ['drafted', 'attempted', 'sent', 'opened', 'clicked', 'converted', 'failed', 'undeliverable'],
};

/** Order of metrics that share a timestamp (funnel order). */
export const METRIC_ORDER: readonly string[] = ['drafted', 'attempted', 'sent', 'delivered', 'opened', 'clicked', 'converted', 'replied', 'unsubscribed', 'spammed', 'bounced', 'dropped', 'failed', 'undeliverable'];
export function metricRank(metric: string): number {
  const i = METRIC_ORDER.indexOf(metric);
  return i < 0 ? METRIC_ORDER.length : i;
}

/** Every generated event of a delivery happens within this many seconds of its creation (late `addMetric`s excepted). */
export const MAX_EVENT_LAG_S = 9 * 86400;

export interface ReportEvent {
  deliveryIndex: number;
  metric: string;
  timestamp: number;
  /** 0 for the first event of its (delivery, metric); 1, 2… for repeats (further opens and clicks). */
  occurrence: number;
  href?: string;
  link_id?: number;
  machine?: boolean;
  failure_message?: string;
}

const PATHS = ['pricing', 'docs/getting-started', 'blog/launch', 'account/settings'];
const BOUNCES = [
  '550 5.1.1 The email account that you tried to reach does not exist',
  '552 5.2.2 The recipient mailbox is full',
  '554 5.7.1 Message rejected by the recipient server',
];

/** The tracked links of whatever sent the delivery: 3 per sender, with stable integer ids. */
export function linksOf(s: Sender): Array<{ link_id: number; href: string }> {
  const base = s.action_id ?? (s.content_id !== null ? 50_000 + s.content_id : 90_000 + (s.transactional_message_id ?? 0));
  const tag = s.campaign_id !== null ? `c${s.campaign_id}` : s.broadcast_id !== null ? `b${s.broadcast_id}` : s.newsletter_id !== null ? `n${s.newsletter_id}` : `t${s.transactional_message_id ?? 0}`;
  return [0, 1, 2].map((k) => ({ link_id: base * 10 + k + 1, href: `https://www.example.com/${PATHS[(base + k) % PATHS.length]!}?utm_campaign=${tag}` }));
}

/**
 * The events of delivery `d` given its metrics map (`metrics`: metric → first time, e.g. the schedule
 * merged with late metrics). `draft`: the sending action is a draft, so a `drafted` event comes at creation.
 * Repeats are only generated for metrics whose time is the generated one. Sorted by time, funnel order.
 */
export function reportEventsOf(seed: number, d: Delivery, metrics: Record<string, number>, draft: boolean): ReportEvent[] {
  const objectType = OBJECT_TYPE[d.sender.type];
  const allowed = CHANNEL_METRICS[objectType];
  const links = linksOf(d.sender);
  const out: ReportEvent[] = [];
  const ev = (metric: string, timestamp: number, occurrence: number): ReportEvent => ({ deliveryIndex: d.index, metric, timestamp, occurrence });
  if (draft && metrics['drafted'] === undefined) out.push(ev('drafted', d.created, 0));
  for (const [metric, ts] of Object.entries(metrics)) {
    if (!allowed.includes(metric)) continue; // human_/prefetch_ variants and channel-foreign metrics
    const generated = d.schedule[metric] === ts;
    const r = new Rand(hash(seed, STREAM.report, d.index, metricRank(metric)));
    if (metric === 'clicked') {
      const n = generated && r.chance(0.4) ? 1 + r.int(2) : 0;
      const times = [ts, ...Array.from({ length: n }, () => ts + r.range(5, 86400)).sort((a, b) => a - b)];
      times.forEach((t, k) => {
        const link = links[r.int(links.length)]!;
        out.push({ ...ev(metric, t, k), href: link.href, link_id: link.link_id, machine: objectType === 'email' && k === 0 && generated && metrics['human_clicked'] === undefined });
      });
      continue;
    }
    if (metric === 'opened') {
      const n = generated && r.chance(0.5) ? 1 + r.int(2) : 0;
      const times = [ts, ...Array.from({ length: n }, () => ts + r.range(60, 2 * 86400)).sort((a, b) => a - b)];
      times.forEach((t, k) => out.push(ev(metric, t, k)));
      continue;
    }
    const e = ev(metric, ts, 0);
    if (metric === 'failed') e.failure_message = d.failure_message ?? 'Delivery failed';
    else if (metric === 'bounced' || metric === 'dropped' || metric === 'undeliverable') e.failure_message = BOUNCES[hash(seed, STREAM.report, d.index, 7) % BOUNCES.length]!;
    out.push(e);
  }
  return out.sort(compareEvents);
}

export function compareEvents(a: ReportEvent, b: ReportEvent): number {
  return a.timestamp - b.timestamp || a.deliveryIndex - b.deliveryIndex || metricRank(a.metric) - metricRank(b.metric) || a.occurrence - b.occurrence;
}
