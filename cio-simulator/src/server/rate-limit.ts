// Per-key sliding-window rate limiter: at most `perSecond` accepted requests in any window of
// (1000 - toleranceMs) ms. Rejected requests do not count. Time is injected.

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();
  constructor(private readonly perSecond: number, private readonly now: () => number, private readonly toleranceMs = 20) {}

  /** Records the request and returns true when allowed; returns false (and records nothing) when over the limit. */
  take(key: string): boolean {
    if (this.perSecond <= 0) return true;
    const t = this.now();
    let list = this.hits.get(key);
    if (!list) { list = []; this.hits.set(key, list); }
    const windowStart = t - 1000 + this.toleranceMs;
    while (list.length > 0 && (list[0] ?? 0) <= windowStart) list.shift();
    if (list.length >= this.perSecond) return false;
    list.push(t);
    return true;
  }
}
