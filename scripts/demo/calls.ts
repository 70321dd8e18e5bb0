// Realistic raw calls sent through Customer.io's official Node library
// (@customerio/cdp-analytics-node) to the collector; returns a ledger of what was sent.
import { Analytics } from '@customerio/cdp-analytics-node';

export type CallType = 'identify' | 'track' | 'page' | 'screen' | 'group' | 'alias';
export const CALL_TYPES: CallType[] = ['identify', 'track', 'page', 'screen', 'group', 'alias'];

export interface DemoUser { userId: string; email: string; plan: string; firstName: string }

export interface CallLedger {
  counts: Record<CallType, number>;
  /** Track calls per userId. */
  tracksByUser: Record<string, number>;
  /** Identify calls per userId. */
  identifiesByUser: Record<string, number>;
}

export function emptyLedger(): CallLedger {
  return { counts: { identify: 0, track: 0, page: 0, screen: 0, group: 0, alias: 0 }, tracksByUser: {}, identifiesByUser: {} };
}

const PRODUCTS = ['espresso-machine', 'grinder', 'milk-frother', 'beans-1kg', 'descaler'];
const PAGES = [['Pricing', '/pricing'], ['Docs', '/docs'], ['Blog', '/blog/launch'], ['Home', '/']] as const;

/** Pure: the calls of one phase. Phase 1 introduces everyone; later phases are activity. */
export function planCalls(users: DemoUser[], phase: number): Array<{ type: CallType; call: Record<string, unknown> }> {
  const out: Array<{ type: CallType; call: Record<string, unknown> }> = [];
  users.forEach((u, i) => {
    const n = i + phase * 7;
    if (phase === 1) {
      out.push({ type: 'alias', call: { previousId: `anon-${u.userId}`, userId: u.userId } });
      out.push({ type: 'identify', call: { userId: u.userId, traits: { email: u.email, first_name: u.firstName, plan: u.plan } } });
      out.push({ type: 'group', call: { userId: u.userId, groupId: `company-${i % 4}`, traits: { name: `Company ${i % 4}`, employees: 10 + (i % 4) * 40 } } });
    }
    for (let k = 0; k < 1 + (n % 3); k++) {
      out.push({ type: 'track', call: { userId: u.userId, event: 'Product Viewed', properties: { product: PRODUCTS[(n + k) % PRODUCTS.length], price: 20 + ((n + k) % 5) * 15 } } });
    }
    if (n % 4 === 0) out.push({ type: 'track', call: { userId: u.userId, event: 'Order Completed', properties: { order_id: `o-${phase}-${i}`, total: 49.5 + i, currency: 'EUR' } } });
    const [name, path] = PAGES[n % PAGES.length]!;
    out.push({ type: 'page', call: { userId: u.userId, name, properties: { path, url: `https://shop.example.com${path}` } } });
    if (n % 2 === 0) out.push({ type: 'screen', call: { userId: u.userId, name: 'Cart', properties: { items: 1 + (n % 3) } } });
  });
  out.push({ type: 'track', call: { anonymousId: `anon-visitor-${phase}`, event: 'Newsletter Signed Up', properties: { source: 'footer' } } });
  return out;
}

/** Sends the calls through the official library and waits until the collector acknowledged them all. */
export async function sendCalls(host: string, writeKey: string, calls: Array<{ type: CallType; call: Record<string, unknown> }>, ledger: CallLedger): Promise<void> {
  const analytics = new Analytics({ writeKey, host, flushInterval: 50, maxEventsInBatch: 50 });
  const errors: unknown[] = [];
  analytics.on('error', (e) => errors.push(e));
  for (const { type, call } of calls) {
    // The library's methods take a per-type parameter shape; the plan builds valid ones.
    (analytics[type] as (p: Record<string, unknown>) => void).call(analytics, call);
    ledger.counts[type]++;
    const user = typeof call.userId === 'string' ? call.userId : undefined;
    if (user && type === 'track') ledger.tracksByUser[user] = (ledger.tracksByUser[user] ?? 0) + 1;
    if (user && type === 'identify') ledger.identifiesByUser[user] = (ledger.identifiesByUser[user] ?? 0) + 1;
  }
  await analytics.closeAndFlush({ timeout: 20_000 });
  if (errors.length) throw new Error(`demo: the collector refused calls: ${errors.map(String).join('; ')}`);
}
