// Activities: base activity k is derived from (seed, k) with timestamps monotonic in k over the
// 35 days before the clock start; control-API changes append to the log at the simulator's now.
import { Rand, hash, unit, ulid, STREAM } from '../rng.js';
import type { Delivery } from './deliveries.js';

export interface Activity {
  index: number;
  id: string;
  type: string;
  timestamp: number;
  personIndex: number;
  name: string | null;
  url: string | null;
  delivery_id: string | null;
  delivery_type: string | null;
  data: Record<string, unknown> | null;
}

export interface ActivityGenParams {
  seed: number; count: number; genNow: number; people: number;
  /** The delivery created at or before `t`, if any (for delivery activities). */
  deliveryAt: (t: number) => Delivery | undefined;
}

export const ACTIVITY_SPAN_DAYS = 35;
const EVENTS = ['purchase', 'login', 'viewed_product', 'added_to_cart', 'signed_up'];
const PAGES = ['/', '/pricing', '/docs', '/blog/launch', '/account'];
const CHANNEL: Record<string, string> = { email: 'email', push: 'push', twilio: 'sms', webhook: 'webhook', in_app: 'in_app' };

export function baseActivityTime(p: ActivityGenParams, k: number): number {
  const span = ACTIVITY_SPAN_DAYS * 86400;
  return p.genNow - span + Math.floor(((k + unit(p.seed, STREAM.activity, k, 99)) * span) / Math.max(1, p.count));
}

export function activityId(seed: number, index: number, timestamp: number): string {
  return ulid(timestamp * 1000 + (hash(seed, STREAM.activity, index, 7) % 1000), seed, STREAM.activity, index);
}

export function deliveryActivityType(metric: string, type: string): string {
  return `${metric}_${CHANNEL[type] ?? type}`;
}
export function deliveryChannel(type: string, personIndex: number): string {
  return type === 'push' ? (personIndex % 2 ? 'ios' : 'android') : type === 'twilio' ? 'phone' : type;
}

export function generateActivity(p: ActivityGenParams, k: number): Activity {
  const r = new Rand(hash(p.seed, STREAM.activity, k));
  const timestamp = baseActivityTime(p, k);
  const base = { index: k, id: activityId(p.seed, k, timestamp), timestamp, name: null, url: null, delivery_id: null, delivery_type: null };
  const x = r.next();
  if (x < 0.35) {
    const d = p.deliveryAt(timestamp);
    if (d) {
      const happened = Object.entries(d.schedule).filter(([m, t]) => !m.includes('_') && t <= timestamp).sort((a, b) => a[1] - b[1]).map(([m]) => m);
      const metric = happened[happened.length - 1] ?? Object.keys(d.schedule)[0] ?? 'sent';
      return {
        ...base, type: deliveryActivityType(metric, d.sender.type), personIndex: d.personIndex,
        delivery_id: d.id, delivery_type: deliveryChannel(d.sender.type, d.personIndex),
        data: { delivery_id: d.id, campaign_id: d.sender.campaign_id, action_id: d.sender.action_id, newsletter_id: d.sender.newsletter_id },
      };
    }
  }
  const personIndex = r.int(Math.max(1, p.people));
  if (x < 0.7) {
    const name = r.pick(EVENTS);
    return { ...base, type: 'event', personIndex, name, data: { price: r.int(200), currency: 'EUR', sku: `sku-${r.int(50)}` } };
  }
  if (x < 0.82) {
    const url = `https://www.example.com${r.pick(PAGES)}`;
    return { ...base, type: 'page', personIndex, name: url, url, data: { title: 'Example', referrer: '' } };
  }
  if (x < 0.97) {
    const from = r.int(1000);
    return { ...base, type: 'attribute_change', personIndex, data: { score: { from: String(from), to: String(from + 1 + r.int(50)) } } };
  }
  return { ...base, type: 'profile_create', personIndex, data: null };
}
