import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, defaultBackoffPolicy, parseRetryAfter, type BackoffPolicy } from '../../src/http/backoff.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const policy: BackoffPolicy = { baseMs: 1000, factor: 2, capMs: 30_000, maxRetryAfterMs: 120_000, jitter: 'none' };

test('parseRetryAfter reads delay-seconds', () => {
  assert.equal(parseRetryAfter('1', NOW), 1000);
  assert.equal(parseRetryAfter(' 120 ', NOW), 120_000);
  assert.equal(parseRetryAfter('0', NOW), 0);
  assert.equal(parseRetryAfter('1.5', NOW), 1500);
});

test('parseRetryAfter reads an HTTP-date relative to now', () => {
  assert.equal(parseRetryAfter('Sun, 01 Mar 2026 12:00:07 GMT', NOW), 7000);
  assert.equal(parseRetryAfter('Sun, 01 Mar 2026 11:59:00 GMT', NOW), 0, 'a past date means no wait');
});

test('parseRetryAfter rejects missing or unreadable values', () => {
  for (const v of [null, undefined, '', '  ', '-5', 'soon', '1e3', 'NaN', '1,5', 'Someday, 99 Foo 2026']) {
    assert.equal(parseRetryAfter(v, NOW), undefined, String(v));
  }
});

test('backoffDelay honours Retry-After seconds and date, capped by maxRetryAfterMs, without jitter', () => {
  const p: BackoffPolicy = { ...policy, jitter: 'full' };
  assert.equal(backoffDelay({ attempt: 1, retryAfter: '3', nowMs: NOW, random: 0 }, p), 3000);
  assert.equal(backoffDelay({ attempt: 5, retryAfter: '3', nowMs: NOW, random: 0.9 }, p), 3000);
  assert.equal(backoffDelay({ attempt: 1, retryAfter: 'Sun, 01 Mar 2026 12:00:10 GMT', nowMs: NOW, random: 0.5 }, p), 10_000);
  assert.equal(backoffDelay({ attempt: 1, retryAfter: 'Sun, 01 Mar 2026 10:00:00 GMT', nowMs: NOW, random: 0.5 }, p), 0);
  assert.equal(backoffDelay({ attempt: 1, retryAfter: '3600', nowMs: NOW, random: 0.5 }, p), 120_000);
});

test('backoffDelay without Retry-After is capped exponential', () => {
  const got = [1, 2, 3, 4, 5, 6, 7, 20, 1000].map((attempt) => backoffDelay({ attempt, retryAfter: null, nowMs: NOW, random: 0.5 }, policy));
  assert.deepEqual(got, [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000]);
  // An unreadable header falls back to the exponential delay too.
  assert.equal(backoffDelay({ attempt: 3, retryAfter: 'later', nowMs: NOW, random: 0 }, policy), 4000);
});

test('equal jitter stays in [d/2, d) and full jitter in [0, d) over many random values', () => {
  let seed = 12345;
  const rand = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
  for (const jitter of ['equal', 'full'] as const) {
    const p: BackoffPolicy = { ...policy, jitter };
    for (let attempt = 1; attempt <= 8; attempt++) {
      const d = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < 2000; i++) {
        const v = backoffDelay({ attempt, nowMs: NOW, random: rand() }, p);
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      const lo = jitter === 'equal' ? Math.floor(d / 2) : 0;
      assert.ok(min >= lo && max < d, `${jitter} attempt ${attempt}: [${min}, ${max}] not in [${lo}, ${d})`);
      assert.ok(max - min > (d - lo) * 0.9, `${jitter} attempt ${attempt}: values should spread over the range`);
    }
  }
  // The edges of the random input.
  assert.equal(backoffDelay({ attempt: 2, nowMs: NOW, random: 0 }, { ...policy, jitter: 'equal' }), 1000);
  assert.equal(backoffDelay({ attempt: 2, nowMs: NOW, random: 0 }, { ...policy, jitter: 'full' }), 0);
  assert.equal(backoffDelay({ attempt: 2, nowMs: NOW, random: 0.999999 }, { ...policy, jitter: 'equal' }), 1999);
});

test('the default policy is equal jitter, 1 s base, doubling, 60 s cap', () => {
  assert.equal(defaultBackoffPolicy.jitter, 'equal');
  assert.equal(backoffDelay({ attempt: 1, nowMs: NOW, random: 0 }), 500);
  assert.equal(backoffDelay({ attempt: 30, nowMs: NOW, random: 0 }), 30_000);
});
