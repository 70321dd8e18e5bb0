// The generated Customer.io-like delivery rows shared by the destination benchmarks (seeded, so every
// run and DuckDB see the same data).
import { createWriteStream } from 'node:fs';
import { mulberry32 } from './prng.js';
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

/** Writes n deliveries as a RECORD/STATE input file for the CLI (a STATE every 10,000) and as bare JSONL
 * of the same rows; returns the input file's size in bytes. */
export async function generate(path: string, dataPath: string, n: number): Promise<number> {
  const r = mulberry32(42);
  const out = createWriteStream(path);
  const data = createWriteStream(dataPath);
  let buf = ''; let dbuf = ''; let bytes = 0;
  const t0 = Date.UTC(2024, 0, 1) / 1000;
  for (let i = 0; i < n; i++) {
    const { created, d } = delivery(r, i, t0);
    const dj = JSON.stringify(d);
    const line = `{"type":"RECORD","record":{"stream":"deliveries","data":${dj},"emitted_at":${created * 1000}}}\n`;
    buf += line; dbuf += dj + '\n'; bytes += line.length;
    if (i % 10000 === 9999) {
      buf += `{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"deliveries"},"stream_state":{"i":${i}}}}}\n`;
      if (!out.write(buf)) await new Promise<void>((res) => out.once('drain', () => res()));
      if (!data.write(dbuf)) await new Promise<void>((res) => data.once('drain', () => res()));
      buf = ''; dbuf = '';
    }
  }
  out.end(buf + `{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"deliveries"},"stream_state":{"i":"end"}}}}\n`);
  data.end(dbuf);
  await Promise.all([new Promise<void>((res) => out.once('close', () => res())), new Promise<void>((res) => data.once('close', () => res()))]);
  return bytes;
}
