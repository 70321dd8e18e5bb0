import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from '../src/server/rate-limit.js';
import { call, start } from './helpers.js';

/** Run `rps` evenly spaced requests per second for `seconds` against a limiter on manual time. */
function run(rps: number, seconds: number): { allowed: number; rejected: number } {
  let t = 1_000_000;
  const lim = new RateLimiter(10, () => t);
  let allowed = 0; let rejected = 0;
  const step = 1000 / rps;
  for (let k = 0; k < rps * seconds; k++) {
    t = 1_000_000 + Math.round(k * step);
    if (lim.take('key')) allowed++; else rejected++;
  }
  return { allowed, rejected };
}

test('a client at 10 req/s (evenly spaced, or bursts of 10 per second) never gets a 429', () => {
  assert.deepEqual(run(10, 30), { allowed: 300, rejected: 0 });
  let t = 0;
  const lim = new RateLimiter(10, () => t);
  for (let s = 0; s < 5; s++) {
    t = s * 1000;
    for (let k = 0; k < 10; k++) assert.equal(lim.take('k'), true, `second ${s} request ${k}`);
  }
});

test('a client at 11+ req/s gets 429s; keys are limited separately', () => {
  const r11 = run(11, 10);
  assert.ok(r11.rejected > 0, 'rejections at 11 req/s');
  assert.ok(r11.allowed <= 10 * 10 + 10);
  assert.ok(run(20, 5).rejected >= 40);
  let t = 0;
  const lim = new RateLimiter(10, () => t);
  for (let k = 0; k < 10; k++) lim.take('a');
  assert.equal(lim.take('a'), false);
  assert.equal(lim.take('b'), true);
  t = 1000;
  assert.equal(lim.take('a'), true, 'window slid');
});

test('HTTP: the 11th request within a second is 429 with the documented body and Retry-After: 1', async () => {
  let t = 5_000;
  const sim = await start({ rateLimit: { perSecond: 10, now: () => t } });
  try {
    const statuses: number[] = [];
    for (let k = 0; k < 10; k++) statuses.push((await call(sim, '/campaigns')).status);
    assert.deepEqual(statuses, Array(10).fill(200));
    const r = await call(sim, '/campaigns');
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '1');
    const err = (r.body['errors'] as Array<Record<string, string>>)[0]!;
    assert.equal(err['status'], '429');
    assert.match(err['detail']!, /^rate limited to 10 requests per 1s \(reference [0-9a-f]{6}\)$/);
    t += 1000;
    assert.equal((await call(sim, '/campaigns')).status, 200);
    assert.equal(sim.stats().byEndpoint['GET /v1/campaigns']?.['429'], 1);
  } finally { await sim.close(); }
});

test('HTTP: Retry-After can be switched off', async () => {
  const t = 0;
  const sim = await start({ rateLimit: { perSecond: 2, retryAfterHeader: false, now: () => t } });
  try {
    await call(sim, '/segments'); await call(sim, '/segments');
    const r = await call(sim, '/segments');
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), null);
  } finally { await sim.close(); }
});
