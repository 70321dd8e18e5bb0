// A rate limiter shared by every concurrent caller of one API (one per API key/host).
//
// Why a plain token bucket is not enough: with capacity `burst` and refill `perSecond`, a bucket admits up
// to burst + perSecond·T requests in any window of length T. With burst = perSecond = 10 that is up to 19
// requests in one second (10 at once, then one every 100 ms), so a server that allows "10 per second" in
// a fixed or sliding window still answers 429 at window edges. Even burst = 1 gives 11 in a closed 1-s
// window (t = 0, 0.1, …, 1.0).
//
// So by default (`strictWindow: true`) we also keep the times of the last `perSecond` grants and admit a
// new one only when the oldest of them is at least `windowMs` old: never more than `perSecond` grants in
// ANY half-open window of `windowMs` (a moving window, like Airbyte's `MovingWindowCallRatePolicy`). The
// token bucket still smooths bursts when `burst` < perSecond. Set `windowMs` above 1000 to leave a margin
// for network jitter between our clock and the server's.
//
// Grants are handed out in FIFO order by a single loop, which is also the only place that sleeps; that
// keeps it fair and lets a ManualClock (whose sleep moves time) drive it in tests.
import type { Clock } from '../clock.js';

export interface RateLimiterOptions {
  /** Sustained rate (may be fractional, e.g. 0.1 = one per 10 s). */
  perSecond: number;
  /** Token-bucket capacity: how many may go at once after an idle spell. Default: max(1, perSecond). */
  burst?: number;
  clock: Clock;
  /** Also cap grants at floor(perSecond · windowMs / 1000) (at least 1) per sliding window. Default true. */
  strictWindow?: boolean;
  /** Sliding window length for `strictWindow`, ms. Default 1000. */
  windowMs?: number;
}

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

const EPS = 1e-9;

export class RateLimiter {
  private readonly clock: Clock;
  private readonly perSecond: number;
  private readonly burst: number;
  private readonly windowMs: number;
  private readonly windowLimit: number; // 0 = no sliding-window cap
  private tokens: number;
  private refilledAt: number;
  private readonly recent: number[] = []; // grant times, oldest first, at most windowLimit long
  private pausedUntil = -Infinity;
  private readonly queue: Waiter[] = [];
  private pumping = false;
  private wake: AbortController | undefined; // cancels the pump's sleep once nobody waits any more

  constructor(options: RateLimiterOptions) {
    if (!(options.perSecond > 0)) throw new RangeError('RateLimiter: perSecond must be > 0');
    this.clock = options.clock;
    this.perSecond = options.perSecond;
    this.burst = Math.max(1, options.burst ?? Math.max(1, options.perSecond));
    this.windowMs = options.windowMs ?? 1000;
    this.windowLimit = options.strictWindow === false ? 0 : Math.max(1, Math.floor((this.perSecond * this.windowMs) / 1000));
    this.tokens = this.burst;
    this.refilledAt = this.clock.now();
  }

  /** Resolves when the caller may send one request. Rejects with `signal.reason` if aborted first. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = { resolve, reject, signal, onAbort: undefined };
      if (signal) {
        w.onAbort = () => {
          const i = this.queue.indexOf(w);
          if (i >= 0) this.queue.splice(i, 1);
          if (this.queue.length === 0) this.wake?.abort(); // no lingering timer keeping the process alive
          reject(signal.reason);
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.queue.push(w);
      void this.pump();
    });
  }

  /** Pauses every caller for `ms` from now (e.g. a 429's Retry-After). Pauses never shorten. */
  penalize(ms: number): void {
    this.pauseUntil(this.clock.now() + Math.max(0, ms));
  }

  /** Pauses every caller until the given epoch ms. */
  pauseUntil(epochMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, epochMs);
  }

  /** How many callers are waiting. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Earliest time the next grant may happen (pure bookkeeping, no side effects besides refill). */
  private nextAllowedAt(now: number): number {
    this.refill(now);
    let at = Math.max(now, this.pausedUntil);
    if (this.tokens < 1 - EPS) at = Math.max(at, now + ((1 - this.tokens) * 1000) / this.perSecond);
    if (this.windowLimit > 0 && this.recent.length >= this.windowLimit) {
      at = Math.max(at, this.recent[this.recent.length - this.windowLimit]! + this.windowMs);
    }
    return at;
  }

  private refill(now: number): void {
    if (now > this.refilledAt) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) * this.perSecond) / 1000);
      this.refilledAt = now;
    }
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const now = this.clock.now();
        const at = this.nextAllowedAt(now);
        if (at > now) {
          const wake = (this.wake = new AbortController());
          try {
            await this.clock.sleep(Math.ceil(at - now), wake.signal);
          } catch (e) {
            if (!wake.signal.aborted) throw e;
          } finally {
            this.wake = undefined;
          }
          continue;
        }
        const w = this.queue.shift()!;
        this.tokens = Math.max(0, this.tokens - 1);
        this.recent.push(now);
        if (this.recent.length > Math.max(1, this.windowLimit)) this.recent.shift();
        if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
        w.resolve();
      }
    } catch (e) {
      // Only a broken clock gets here; fail the waiters rather than hang them.
      for (const w of this.queue.splice(0)) w.reject(e);
    } finally {
      this.pumping = false;
    }
  }
}
