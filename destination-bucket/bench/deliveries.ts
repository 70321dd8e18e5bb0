// The generated Customer.io-like delivery rows shared by the destination benchmarks (seeded, so every
// run and DuckDB see the same data).
const hex = (r: () => number, n: number): string => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
const SUBJECTS = ['Welcome 👋', 'Your "weekly" digest', 'Última oportunidad', 'Reset your password', 'Order shipped 📦'];
const TYPES = ['email', 'push', 'sms', 'in_app', 'webhook'];
const METRICS = ['sent', 'delivered', 'opened', 'clicked', 'bounced', 'converted'];

export const properties = {
  id: { type: 'string' }, delivery_id: { type: 'string' }, customer_id: { type: 'string' }, email: { type: 'string' },
  message_type: { type: 'string' }, metric: { type: 'string' }, subject: { type: 'string' },
  campaign_id: { type: ['null', 'integer'] }, action_id: { type: ['null', 'integer'] }, newsletter_id: { type: ['null', 'integer'] },
  created: { type: 'integer' }, timestamp: { type: 'string', format: 'date-time' },
  open_rate: { type: ['null', 'number'] }, revenue: { type: ['null', 'number'] }, is_test: { type: 'boolean' }, trackable: { type: 'boolean' },
  attributes: { type: 'object' },
};

/** The i-th delivery row (created = t0 + 2.5·i seconds). */
export function delivery(r: () => number, i: number, t0 = Date.UTC(2024, 0, 1) / 1000): { created: number; d: Record<string, unknown> } {
  const created = t0 + Math.floor(i * 2.5);
  const d = {
    id: `${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`, delivery_id: `dlv_${hex(r, 20)}`,
    customer_id: `cus_${Math.floor(r() * 500000)}`, email: `user${Math.floor(r() * 500000)}@example.com`,
    message_type: TYPES[Math.floor(r() * 5)], metric: METRICS[Math.floor(r() * 6)], subject: SUBJECTS[Math.floor(r() * 5)],
    campaign_id: Math.floor(r() * 5000), action_id: Math.floor(r() * 20000), newsletter_id: r() < 0.7 ? null : Math.floor(r() * 900),
    created, timestamp: new Date(created * 1000).toISOString(), open_rate: Math.round(r() * 10000) / 10000,
    revenue: r() < 0.9 ? null : Math.round(r() * 50000) / 100, is_test: r() < 0.02, trackable: r() < 0.8,
    attributes: { device: { platform: r() < 0.5 ? 'ios' : 'android', os: `v${Math.floor(r() * 17)}` }, link: r() < 0.5 ? null : { url: `https://example.com/p/${Math.floor(r() * 1e6)}`, index: Math.floor(r() * 9) }, tags: ['a', 'b'].slice(0, Math.floor(r() * 3)), score: Math.floor(r() * 100) },
  };
  return { created, d };
}
