// Test helpers: authenticated requests against a simulator.
import { startSimulator, type Simulator } from '../src/simulator.js';
import type { SimulatorOptions } from '../src/options.js';

export type Body = Record<string, unknown>;
export interface Res { status: number; body: Body; headers: Headers; text: string }

/** A tiny simulator with rate limiting off (unless options say otherwise). */
export function start(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ seed: 7, size: 'tiny', rateLimit: { perSecond: 0 }, ...options });
}

export async function call(sim: Simulator, path: string, init: { method?: string; body?: unknown; key?: string; base?: string } = {}): Promise<Res> {
  const res = await fetch(`${init.base ?? sim.baseUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${init.key ?? sim.apiKey}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: Body = {};
  try { body = JSON.parse(text) as Body; } catch { /* not JSON (e.g. 502 HTML) */ }
  return { status: res.status, body, headers: res.headers, text };
}

/** Follow `next` → `start` until the end marker; returns every page. */
export async function walk(sim: Simulator, path: string, opts: { method?: string; body?: unknown; maxPages?: number } = {}): Promise<Body[]> {
  const pages: Body[] = [];
  let start: string | undefined;
  for (let n = 0; n < (opts.maxPages ?? 10_000); n++) {
    const sep = path.includes('?') ? '&' : '?';
    const url = start === undefined ? path : `${path}${sep}start=${encodeURIComponent(start)}`;
    const r = await call(sim, url, { method: opts.method, body: opts.body });
    if (r.status !== 200) throw new Error(`${url}: ${r.status} ${r.text}`);
    pages.push(r.body);
    const next = r.body['next'];
    if (next === undefined || next === null || next === '') return pages;
    if (typeof next !== 'string') throw new Error(`next is not a string: ${JSON.stringify(next)}`);
    if (next === start) throw new Error('next repeated');
    start = next;
  }
  throw new Error('too many pages');
}

export function items<T = Body>(pages: Body[], key: string): T[] {
  return pages.flatMap((p) => (p[key] ?? []) as T[]);
}
