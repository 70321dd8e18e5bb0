import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, systemClock } from '../../src/clock.js';
import { RateLimiter } from '../../src/http/rate-limiter.js';

/**
 * ManualClock moves time the moment sleep() is called, before callers that were just granted have run
 * and read the time. This one first lets all ready work run (one setImmediate turn, no real delay).
 */
class SteppingClock extends ManualClock {
  override async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.advance(ms);
  }
}

/** Runs `callers` concurrent loops of `each` acquires; returns grant times (clock.now() right after each grant). */
async function run(limiter: RateLimiter, now: () => number, callers: number, each: number): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(Array.from({ length: callers }, async () => {
    for (let i = 0; i < each; i++) {
      await limiter.acquire();
      times.push(now());
    }
  }));
  return times.sort((a, b) => a - b);
}

/** Largest number of grants inside any half-open window [t, t + windowMs). */
function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

test('N concurrent callers never exceed perSecond in any sliding 1-s window (default strict mode)', async () => {
  const clock = new SteppingClock(1_000_000);
  const limiter = new RateLimiter({ perSecond: 10, clock });
  const times = await run(limiter, () => clock.now(), 7, 20);
  assert.equal(times.length, 140);
  assert.equal(maxInWindow(times, 1000), 10);
  // ...and it does not waste the budget: 140 grants at 10/s with a burst of 10 take 13 s.
  assert.equal(times[times.length - 1]! - times[0]!, 13_000);
});

test('a smaller burst spaces requests evenly and still respects the window', async () => {
  const clock = new SteppingClock(0);
  const limiter = new RateLimiter({ perSecond: 10, burst: 1, clock });
  const times = await run(limiter, () => clock.now(), 3, 10);
  assert.ok(maxInWindow(times, 1000) <= 10);
  for (let i = 1; i < times.length; i++) assert.ok(times[i]! - times[i - 1]! >= 100, `gap ${i}`);
});

test('plain token bucket (strictWindow: false) overshoots a 1-s window at the edge, which is why strict is the default', async () => {
  const clock = new SteppingClock(0);
  const limiter = new RateLimiter({ perSecond: 10, burst: 10, clock, strictWindow: false });
  const times = await run(limiter, () => clock.now(), 5, 10);
  assert.ok(maxInWindow(times, 1000) > 10, `expected an overshoot, got ${maxInWindow(times, 1000)}`);
});

test('fractional rates: one per 10 s', async () => {
  const clock = new SteppingClock(0);
  const limiter = new RateLimiter({ perSecond: 0.1, clock });
  const times = await run(limiter, () => clock.now(), 2, 2);
  assert.deepEqual(times, [0, 10_000, 20_000, 30_000]);
});

test('penalize pauses every caller sharing the limiter', async () => {
  const clock = new SteppingClock(0);
  const limiter = new RateLimiter({ perSecond: 100, clock });
  await limiter.acquire();
  limiter.penalize(5000);
  limiter.penalize(1000); // a shorter pause never shortens the longer one
  const times = await run(limiter, () => clock.now(), 4, 2);
  assert.equal(times.length, 8);
  assert.ok(times.every((t) => t >= 5000), `all after the pause: ${times.join(',')}`);
});

test('an aborted waiter is removed and rejects with the abort reason; others proceed', async () => {
  const clock = new SteppingClock(0);
  const limiter = new RateLimiter({ perSecond: 1, burst: 1, clock });
  await limiter.acquire();
  const ctl = new AbortController();
  const reason = new Error('stop');
  const p = limiter.acquire(ctl.signal);
  ctl.abort(reason);
  await assert.rejects(p, (e) => e === reason);
  await limiter.acquire();
  assert.equal(limiter.waiting, 0);
  await assert.rejects(limiter.acquire(AbortSignal.abort(reason)), (e) => e === reason);
});

test('when the last waiter aborts, the limiter stops sleeping (no timer left behind)', async () => {
  const signals: AbortSignal[] = [];
  let t = 0;
  const clock = {
    now: () => t,
    sleep: (_ms: number, signal?: AbortSignal) => new Promise<void>((_resolve, reject) => {
      if (signal) { signals.push(signal); signal.addEventListener('abort', () => reject(signal.reason), { once: true }); }
    }),
  };
  const limiter = new RateLimiter({ perSecond: 1, clock });
  await limiter.acquire();
  limiter.penalize(600_000);
  const ctl = new AbortController();
  const p = limiter.acquire(ctl.signal);
  await new Promise((r) => setImmediate(r));
  assert.equal(signals.length, 1);
  assert.equal(signals[0]!.aborted, false);
  ctl.abort(new Error('bye'));
  await assert.rejects(p, /bye/);
  assert.equal(signals[0]!.aborted, true);
  t = 600_000; // after the pause a new caller is served at once
  await limiter.acquire();
});

test('rejects a non-positive rate', () => {
  assert.throws(() => new RateLimiter({ perSecond: 0, clock: new SteppingClock() }), RangeError);
});

test('real time: 3 callers, 20/s, 30 grants stay within the window and take about 1 s', async () => {
  const limiter = new RateLimiter({ perSecond: 20, clock: systemClock });
  const start = Date.now();
  const times = await run(limiter, () => performance.timeOrigin + performance.now(), 3, 10);
  const elapsed = Date.now() - start;
  // Grant times are recorded a moment after the limiter decides, so allow a few ms of slack.
  assert.ok(maxInWindow(times, 1000 - 15) <= 20, `max in window ${maxInWindow(times, 985)}`);
  assert.ok(elapsed >= 990 && elapsed < 1400, `elapsed ${elapsed} ms`);
});
