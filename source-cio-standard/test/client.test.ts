// The App API client with a fake transport: base URLs, auth, paging quirks, repeated tokens, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, SystemError, createResponse, silentLogger, systemClock, type HttpRequest, type HttpResponse } from '@cio-dw/common';
import { CioClient } from '../src/client/cio-client.js';
import { CioApi } from '../src/client/endpoints.js';
import { baseUrlOf } from '../src/client/base-url.js';
import { NextTokenPaginator } from '../src/client/paginator.js';
import { mapOrdered } from '../src/client/concurrency.js';
import { unauthorizedMessage } from '../src/client/error-table.js';

function fake(handler: (req: HttpRequest) => HttpResponse | Promise<HttpResponse>) {
  const seen: HttpRequest[] = [];
  return { seen, transport: { request: async (req: HttpRequest) => { seen.push(req); return handler(req); } } };
}
const cfg = { app_api_key: ' secret-key-123 ', region: 'US' as const, requests_per_second: 1000 };
const client = (t: { request: (r: HttpRequest) => Promise<HttpResponse> }, over = {}) => new CioClient({ config: { ...cfg, ...over }, transport: t, clock: systemClock, logger: silentLogger, backoff: { baseMs: 1, capMs: 2 } });

test('region → base URL; api_url overrides (testing only)', () => {
  assert.equal(baseUrlOf({ region: 'US' }), 'https://api.customer.io/v1');
  assert.equal(baseUrlOf({ region: 'EU' }), 'https://api-eu.customer.io/v1');
  assert.equal(baseUrlOf({ region: 'EU', api_url: 'http://127.0.0.1:9/v1/' }), 'http://127.0.0.1:9/v1');
  assert.equal(baseUrlOf({ region: 'US', api_url: '' }), 'https://api.customer.io/v1');
});

test('requests carry Bearer auth (trimmed key) and go to the region host', async () => {
  const f = fake(() => createResponse({ status: 200, body: { campaigns: [] } }));
  await new CioApi(client(f.transport, { region: 'EU' })).campaigns();
  assert.equal(f.seen[0]!.url, 'https://api-eu.customer.io/v1/campaigns');
  assert.equal(f.seen[0]!.headers!['authorization'], 'Bearer secret-key-123');
});

test('messages paging: limit 1000, time window, follows empty pages that carry next, stops on ""', async () => {
  const pages: Record<string, unknown> = {
    '': { messages: [{ id: 'a' }], next: 'MDo1' },
    MDo1: { messages: [], next: 'Tk/x+==' },
    'Tk/x+==': { messages: null, next: 'Zm9v' },
    Zm9v: { messages: [{ id: 'b' }], next: '' },
  };
  const f = fake((req) => createResponse({ status: 200, body: pages[new URL(req.url).searchParams.get('start') ?? '']! }));
  const ids: string[] = [];
  for await (const p of new CioApi(client(f.transport)).messages(100, 200)) for (const m of (p.body['messages'] as { id: string }[] | null) ?? []) ids.push(m.id);
  assert.deepEqual(ids, ['a', 'b']);
  assert.equal(f.seen.length, 4);
  const q = new URL(f.seen[0]!.url).searchParams;
  assert.equal(q.get('limit'), '1000');
  assert.equal(q.get('start_ts'), '100');
  assert.equal(q.get('end_ts'), '200');
  assert.equal(new URL(f.seen[2]!.url).searchParams.get('start'), 'Tk/x+==');
});

test('activities: an empty page ends paging even with a next token', async () => {
  const f = fake((req) => createResponse({ status: 200, body: new URL(req.url).searchParams.get('start') ? { activities: [], next: '7' } : { activities: [{ id: 'x' }], next: '9' } }));
  let n = 0;
  for await (const _ of new CioApi(client(f.transport)).activities('attribute_change')) n++;
  assert.equal(n, 2);
  assert.equal(f.seen.length, 2);
});

test('a repeated next token is a SystemError, not an endless loop', async () => {
  const f = fake(() => createResponse({ status: 200, body: { messages: [{ id: 'a' }], next: 'same' } }));
  await assert.rejects(async () => { for await (const _ of new CioApi(client(f.transport)).messages(0, 1)); }, (e: unknown) => e instanceof SystemError && /same page token twice/.test(e.message));
  assert.equal(f.seen.length, 2);
  const p = new NextTokenPaginator('x');
  assert.equal(p.advance('a'), true);
  assert.equal(p.advance(null), false);
});

test('401 is a ConfigError that suggests the other region and never shows the key', async () => {
  const f = fake(() => createResponse({ status: 401, body: { errors: [{ detail: 'Unauthorized', status: '401' }] } }));
  const err = await new CioApi(client(f.transport)).campaigns().then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof ConfigError);
  assert.match(err.message, /^cio: /);
  assert.match(err.message, /try region EU/);
  assert.ok(!err.message.includes('secret-key-123'));
  assert.match(unauthorizedMessage('EU'), /try region US/);
  assert.equal(f.seen.length, 1, '401 is not retried');
});

test('a deleted campaign (404) yields undefined actions; actions page 10 at a time', async () => {
  const f = fake((req) => {
    if (req.url.includes('/campaigns/1/')) return createResponse({ status: 404, body: { errors: [{ detail: 'not found', status: '404' }] } });
    const start = new URL(req.url).searchParams.get('start');
    return createResponse({ status: 200, body: start ? { actions: [{ id: '3' }] } : { actions: [{ id: 1 }, { id: 2 }], next: 'p2' } });
  });
  const api = new CioApi(client(f.transport));
  assert.equal(await api.campaignActions(1), undefined);
  assert.deepEqual(await api.campaignActions(2), [{ id: 1 }, { id: 2 }, { id: '3' }]);
});

test('5xx is retried, then succeeds', async () => {
  let n = 0;
  const f = fake(() => createResponse(++n < 3 ? { status: 503, body: 'busy' } : { status: 200, body: { segments: [{ id: 1 }] } }));
  const c = client(f.transport);
  assert.deepEqual(await new CioApi(c).segments(), [{ id: 1 }]);
  assert.equal(c.stats.retries, 2);
});

test('bulk attributes: POST 100 cio_ids with id_type=cio_id; unwraps {customer:{}} items', async () => {
  const f = fake(() => createResponse({ status: 200, body: { customers: [{ customer: { id: '1' } }, { id: '2' }] } }));
  const out = await new CioApi(client(f.transport)).customerAttributes(['a1', 'a2']);
  assert.deepEqual(out, [{ id: '1' }, { id: '2' }]);
  assert.equal(f.seen[0]!.method, 'POST');
  assert.equal(new URL(f.seen[0]!.url).searchParams.get('id_type'), 'cio_id');
  assert.deepEqual(JSON.parse(String(f.seen[0]!.body)), { ids: ['a1', 'a2'] });
});

test('mapOrdered keeps order and bounds concurrency', async () => {
  let inflight = 0; let peak = 0;
  const out: number[] = [];
  for await (const x of mapOrdered([5, 1, 4, 2, 3], 2, async (v) => { inflight++; peak = Math.max(peak, inflight); await new Promise((r) => setTimeout(r, v)); inflight--; return v * 10; })) out.push(x);
  assert.deepEqual(out, [50, 10, 40, 20, 30]);
  assert.equal(peak, 2);
});

test('readAhead yields windows in order, starts the next ones early, bounds buffering, passes errors on', async () => {
  const { readAhead } = await import('../src/client/prefetch.js');
  const opened: number[] = [];
  async function* gen(w: number) { opened.push(w); for (let i = 0; i < 3; i++) { await new Promise((r) => setTimeout(r, 3 - w % 3)); yield `${w}.${i}`; } if (w === 4) throw new Error('boom'); }
  const out: string[] = [];
  await assert.rejects(async () => {
    for await (const { window, items } of readAhead([0, 1, 2, 3, 4], gen, 2, 1)) {
      if (window === 0) assert.deepEqual(opened, [0, 1, 2]);
      for await (const x of items) out.push(x);
    }
  }, /boom/);
  assert.deepEqual(out, ['0.0', '0.1', '0.2', '1.0', '1.1', '1.2', '2.0', '2.1', '2.2', '3.0', '3.1', '3.2', '4.0', '4.1', '4.2']);
});
