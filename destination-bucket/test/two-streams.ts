// A two-stream input used by the store tests: deliveries and customers interleaved, a STATE per
// stream every 50 deliveries; and one large customers stream (`count` rows of 4 KB+ emails).
import { configured, record, state } from './helpers.js';

export const props = { id: { type: 'string' }, n: { type: 'integer' }, at: { type: 'string', format: 'date-time' } };
export const catalog = { streams: [configured('deliveries', props), configured('customers', { id: { type: 'string' }, email: { type: 'string' } })] };

export function interleaved(from: number, to: number): string[] {
  const lines: string[] = [];
  for (let i = from; i < to; i++) {
    lines.push(record('deliveries', { id: `d${i}`, n: i, at: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString() }));
    if (i % 3 === 0) lines.push(record('customers', { id: `c${i}`, email: `c${i}@example.com` }));
    if (i % 50 === 49) { lines.push(state('deliveries', { i })); lines.push(state('customers', { i })); }
  }
  return lines;
}

export function bigCustomers(pad: string, count = 3000): string[] {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(record('customers', { id: `c${i}`, email: `${pad}${i}` }));
  lines.push(state('customers', { done: true }));
  return lines;
}
