import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/clock.js';
import { ConfigError, SystemError, TransientError } from '../../src/errors.js';
import { memoryLogger } from '../../src/logger.js';
import { HttpClient, describeRequest, type HttpClientOptions, type RetryInfo } from '../../src/http/client.js';
import { defaultErrorTable, extendErrorTable } from '../../src/http/error-table.js';
import { RateLimiter } from '../../src/http/rate-limiter.js';
import { NetworkError, type HttpRequest } from '../../src/http/transport.js';
import { FakeTransport, type Step } from './fake-transport.js';

const KEY = 'sk_live_abcdef123456';
const req: HttpRequest = {
  method: 'GET',
  url: `https://api.customer.io/v1/messages?api_key=${KEY}&limit=100`,
  headers: { authorization: `Bearer ${KEY}` },
};

function setup(steps: Step[], extra: Partial<HttpClientOptions> = {}) {
  const clock = new ManualClock(1_000_000);
  const transport = new FakeTransport(steps, () => clock.now());
  const logger = memoryLogger();
  const client = new HttpClient({ transport, prefix: 'cio', clock, logger, random: () => 0.5, ...extra });
  return { clock, transport, logger, client };
}

test('retries a 503 and then returns the success', async () => {
  const { client, clock, transport, logger } = setup([{ status: 503 }, { status: 503 }, { status: 200, body: { ok: 1 } }]);
  const retries: RetryInfo[] = [];
  const res = await client.request(req, { onRetry: (i) => retries.push(i) });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { ok: 1 });
  // Equal jitter with random 0.5: 750 ms, then 1500 ms.
  assert.deepEqual(transport.sent.map((s) => s.at - 1_000_000), [0, 750, 2250]);
  assert.equal(clock.now(), 1_002_250);
  assert.deepEqual(retries.map((r) => [r.status, r.retry, r.maxRetries, r.delayMs, r.action]), [[503, 1, 8, 750, 'retry'], [503, 2, 8, 1500, 'retry']]);
  assert.deepEqual(client.stats, { requests: 3, retries: 2, rateLimited: 0, networkErrors: 0, ignored: 0 });
  assert.deepEqual(logger.lines.map((l) => l.message), [
    'cio: 503 on GET /v1/messages, retry 1/8 in 0.8s',
    'cio: 503 on GET /v1/messages, retry 2/8 in 1.5s',
  ]);
  assert.ok(logger.lines.every((l) => l.level === 'WARN'));
});

test('429 with Retry-After waits exactly that long; without it, exponential backoff', async () => {
  const { client, transport } = setup([
    { status: 429, headers: { 'retry-after': '3' } },
    { status: 429 },
    { status: 200 },
  ]);
  const res = await client.request(req);
  assert.equal(res.status, 200);
  assert.deepEqual(transport.sent.map((s) => s.at - 1_000_000), [0, 3000, 3000 + 1500]);
  assert.equal(client.stats.rateLimited, 2);
  assert.equal(client.stats.retries, 2);
});

test('429 with a limiter pauses every caller sharing it', async () => {
  const clock = new ManualClock(0);
  const limiter = new RateLimiter({ perSecond: 100, clock });
  const transport = new FakeTransport([{ status: 429, headers: { 'retry-after': '2' } }, { status: 200 }], () => clock.now());
  const client = new HttpClient({ transport, prefix: 'cio', clock, limiter, random: () => 0.5 });
  assert.equal((await client.request(req)).status, 200);
  assert.deepEqual(transport.sent.map((s) => s.at), [0, 2000]);
  // Any other caller of the same limiter waits out a pause as well.
  limiter.penalize(5000);
  const before = clock.now();
  await limiter.acquire();
  assert.equal(clock.now() - before, 5000);
});

test('gives up after max retries with a TransientError', async () => {
  const { client, transport } = setup(Array.from({ length: 10 }, () => ({ status: 502 })), { maxRetries: 3 });
  await assert.rejects(client.request(req), (e: unknown) => {
    assert.ok(e instanceof TransientError);
    assert.match(e.message, /^cio: .*HTTP 502, gave up after 3 retries on GET \/v1\/messages\)$/);
    return true;
  });
  assert.equal(transport.sent.length, 4);
  assert.equal(client.stats.retries, 3);
});

test('per-request maxRetries and the separate 429 budget', async () => {
  const a = setup([{ status: 500 }, { status: 500 }]);
  await assert.rejects(a.client.request(req, { maxRetries: 1 }), TransientError);
  assert.equal(a.transport.sent.length, 2);
  const b = setup([{ status: 429 }, { status: 429 }, { status: 429 }], { maxRateLimitedRetries: 2, maxRetries: 0 });
  await assert.rejects(b.client.request(req), (e: unknown) => e instanceof TransientError && /HTTP 429, gave up after 2 retries/.test(e.message));
  assert.equal(b.client.stats.rateLimited, 3);
});

test('network errors are retried; a TLS failure is a config error', async () => {
  const { client } = setup([new NetworkError('connection_reset', 'ECONNRESET'), new NetworkError('timeout'), { status: 200 }]);
  assert.equal((await client.request(req)).status, 200);
  assert.equal(client.stats.networkErrors, 2);
  const t = setup([new NetworkError('tls', 'CERT_HAS_EXPIRED')]);
  await assert.rejects(t.client.request(req), ConfigError);
});

test('401 → ConfigError with the connector message; secrets never in messages', async () => {
  const table = extendErrorTable(defaultErrorTable, {
    401: { action: 'fail', failureType: 'config_error', message: `the App API key was rejected; check it, and try region EU/US.` },
  });
  const { client } = setup([{ status: 401, body: { errors: [{ detail: `bad token ${KEY}`, status: '401' }] } }], { errorTable: table });
  await assert.rejects(client.request(req), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.message, 'cio: the App API key was rejected; check it, and try region EU/US. (HTTP 401 on GET /v1/messages)');
    assert.match(e.internalMessage ?? '', /bad token \*\*\*/);
    for (const text of [e.message, e.internalMessage ?? '', String(e.stack)]) {
      assert.ok(!text.includes(KEY), `secret leaked: ${text}`);
      assert.ok(!text.includes('api.customer.io') && !text.includes('limit=100'), `host or query leaked: ${text}`);
    }
    return true;
  });
});

test('404 fails by default and is returned when the request says ignore', async () => {
  const a = setup([{ status: 404 }]);
  await assert.rejects(a.client.request(req), SystemError);
  const b = setup([{ status: 404, body: { errors: [] } }]);
  const res = await b.client.request(req, { errorTable: { 404: { action: 'ignore' } } });
  assert.equal(res.status, 404);
  assert.equal(b.client.stats.ignored, 1);
});

test('a transport bug becomes a SystemError without secrets; an abort rethrows its reason', async () => {
  const { client } = setup([new TypeError(`Failed to parse URL from ${req.url}`)]);
  await assert.rejects(client.request(req), (e: unknown) => {
    assert.ok(e instanceof SystemError);
    assert.ok(!e.message.includes(KEY) && !(e.internalMessage ?? '').includes(KEY));
    return true;
  });
  const reason = new Error('cancelled');
  const ctl = new AbortController();
  const c = setup([{ status: 200 }]);
  ctl.abort(reason);
  await assert.rejects(c.client.request({ ...req, signal: ctl.signal }), (e) => e === reason);
  assert.equal(c.transport.sent.length, 0);
});

test('describeRequest keeps only method and path', () => {
  assert.equal(describeRequest({ method: 'POST', url: 'https://u:p@api-eu.customer.io/v1/customers?token=x#frag' }), 'POST /v1/customers');
  assert.equal(describeRequest({ method: 'GET', url: '/v1/x?key=1' }), 'GET /v1/x');
});
