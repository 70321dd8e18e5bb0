// Pure backoff decisions: how long to wait before retry number `attempt`. No clock, no randomness inside:
// `nowMs` and `random` are passed in, so the function is tested with literal inputs.

export interface BackoffPolicy {
  /** Delay scale for the first retry, ms. */
  baseMs: number;
  /** Growth per retry: the un-jittered delay of retry n is min(capMs, baseMs * factor^(n-1)). */
  factor: number;
  /** Largest exponential delay, ms. */
  capMs: number;
  /** Largest wait we accept from a `Retry-After` header, ms (longer values are cut to this). */
  maxRetryAfterMs: number;
  /**
   * - `equal` (default): delay in [d/2, d): half fixed, half random. Keeps a floor under each wait, so a
   *   struggling server is never hit again almost at once, while concurrent callers still spread out.
   * - `full`: delay in [0, d) (AWS "full jitter"): spreads callers most, but may retry almost at once.
   * - `none`: exactly d.
   */
  jitter: 'equal' | 'full' | 'none';
}

export const defaultBackoffPolicy: BackoffPolicy = Object.freeze({
  baseMs: 1000,
  factor: 2,
  capMs: 60_000,
  maxRetryAfterMs: 10 * 60_000,
  jitter: 'equal',
});

/**
 * Parses a `Retry-After` value (RFC 9110 §10.2.3): delay-seconds (`"120"`, we also accept `"1.5"`) or an
 * HTTP-date (`"Wed, 21 Oct 2015 07:28:00 GMT"`, read relative to `nowMs`). Returns the wait in ms (a date
 * in the past gives 0), or undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  // An HTTP-date always names a weekday or month; requiring letters keeps "-5" or "2024" from parsing as dates.
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

export interface BackoffInput {
  /** 1 for the first retry, 2 for the second, … */
  attempt: number;
  /** The response's `Retry-After` header, if any. */
  retryAfter?: string | null;
  /** Current time (epoch ms), for HTTP-date values of `Retry-After`. */
  nowMs: number;
  /** A random number in [0, 1). */
  random: number;
}

/**
 * Delay in ms before retry `attempt`. `Retry-After`, when present and readable, wins (clamped to
 * [0, maxRetryAfterMs], no jitter: the server said when). Otherwise capped exponential backoff with the
 * policy's jitter.
 */
export function backoffDelay(input: BackoffInput, policy: BackoffPolicy = defaultBackoffPolicy): number {
  const fromHeader = parseRetryAfter(input.retryAfter, input.nowMs);
  if (fromHeader !== undefined) return Math.min(Math.max(0, fromHeader), policy.maxRetryAfterMs);
  const n = Math.max(1, Math.floor(input.attempt));
  const d = Math.max(0, Math.min(policy.capMs, policy.baseMs * policy.factor ** (n - 1)));
  const r = Math.min(Math.max(input.random, 0), 1);
  switch (policy.jitter) {
    case 'none': return d;
    case 'full': return Math.floor(d * r);
    case 'equal': return Math.floor(d / 2 + (d / 2) * r);
  }
}
