// Deliveries (messages): delivery i is derived from (seed, i). Creation times are monotonic in i,
// so a time window maps to an index range by binary search and "newest first" is i descending.
import { Rand, hash, unit, deliveryId, STREAM } from '../rng.js';
import type { Catalog, MessageType, Sender } from './catalog.js';

export const METRICS = ['attempted', 'sent', 'delivered', 'opened', 'clicked', 'converted', 'bounced', 'spammed', 'unsubscribed', 'dropped', 'failed', 'undeliverable'] as const;
export type Metric = typeof METRICS[number];
/** Metrics busy mode reports late for old deliveries (the first one a delivery does not have yet). */
export const DELIVERY_METRICS_LATE = ['clicked', 'converted', 'opened'] as const;

export interface Delivery {
  index: number;
  id: string;
  created: number;
  personIndex: number;
  sender: Sender;
  forgotten: boolean;
  trigger_event_id: string | null;
  failure_message: string | null;
  /** Every metric with the time it happens (may be after the simulator's now: it "arrives" later). */
  schedule: Record<string, number>;
}

export interface DeliveryGenParams { seed: number; count: number; spanStart: number; genNow: number; people: number; catalog: Catalog }

export function baseCreated(p: DeliveryGenParams, i: number): number {
  const span = p.genNow - p.spanStart;
  return p.spanStart + Math.floor(((i + unit(p.seed, STREAM.delivery, i, 99)) * span) / Math.max(1, p.count));
}

function pickSender(r: Rand, c: Catalog): Sender {
  const x = r.next();
  const s = c.senders;
  const list = x < 0.65 && s.campaign.length ? s.campaign
    : x < 0.75 && s.broadcast.length ? s.broadcast
      : x < 0.95 && s.newsletter.length ? s.newsletter
        : s.transactional;
  return r.pick(list);
}

/** When each metric happens, relative to creation. Probabilities loosely follow real email funnels. */
export function metricSchedule(r: Rand, created: number, type: MessageType): { schedule: Record<string, number>; failure: string | null } {
  const m: Record<string, number> = {};
  if (r.chance(0.01)) {
    m['failed'] = created + r.range(1, 30);
    return { schedule: m, failure: 'Liquid error: undefined variable customer.first_name' };
  }
  const sent = created + r.range(1, 60);
  m['sent'] = sent;
  if (type === 'webhook') {
    if (r.chance(0.1)) m['clicked'] = sent + r.range(1, 3600);
    return { schedule: m, failure: null };
  }
  if (r.chance(0.03)) { m['bounced'] = sent + r.range(10, 600); return { schedule: m, failure: null }; }
  const delivered = sent + r.range(1, 300);
  m['delivered'] = delivered;
  const openP = type === 'email' ? 0.45 : type === 'push' || type === 'in_app' ? 0.2 : 0;
  if (r.chance(openP)) {
    const opened = delivered + Math.floor(60 + Math.pow(r.next(), 3) * 86400 * 4);
    m['opened'] = opened;
    if (type === 'email') m[r.chance(0.1) ? 'prefetch_opened' : 'human_opened'] = opened;
    if (r.chance(0.3)) {
      const clicked = opened + r.range(5, 86400);
      m['clicked'] = clicked;
      if (type === 'email') m['human_clicked'] = clicked;
      if (r.chance(0.1)) m['converted'] = clicked + r.range(60, 86400 * 2);
    }
    if (type === 'email' && r.chance(0.01)) m['unsubscribed'] = opened + r.range(5, 600);
    if (type === 'email' && r.chance(0.002)) m['spammed'] = opened + r.range(5, 600);
  }
  return { schedule: m, failure: null };
}

export function generateDelivery(p: DeliveryGenParams, index: number, created = baseCreated(p, index), fixed?: Partial<Pick<Delivery, 'personIndex' | 'sender'>>): Delivery {
  const r = new Rand(hash(p.seed, STREAM.delivery, index));
  const sender = fixed?.sender ?? pickSender(r, p.catalog);
  const personIndex = fixed?.personIndex ?? r.int(Math.max(1, p.people));
  const { schedule, failure } = metricSchedule(r, created, sender.type);
  return {
    index, id: deliveryId(p.seed, index), created, personIndex, sender,
    forgotten: r.chance(0.02), failure_message: failure,
    trigger_event_id: sender.kind === 'transactional' || r.chance(0.1) ? `01${hash(p.seed, index).toString(36).toUpperCase().padStart(7, '0')}TRIGGER` : null,
    schedule,
  };
}

/** Metrics visible at time `now` (only those that already happened). */
export function visibleMetrics(schedule: Record<string, number>, now: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(schedule)) if (v <= now) out[k] = v;
  return out;
}
