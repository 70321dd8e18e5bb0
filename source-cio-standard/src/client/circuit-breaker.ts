// One circuit breaker for every request of a sync. Each request has its own retry budget, so without
// it a dead App API costs every stream its full budget in turn (12 streams × ~2–9 minutes). The breaker
// watches all requests: once nothing has answered for `deadAfterMs` (and a few attempts failed in a
// row), or one request spent its whole retry budget while nothing else answered either, the API is
// taken as down and every request, current and later, fails at once with one ServiceDownError, which
// stops the read (the read loop does not start the remaining streams).
import { NetworkError, ServiceDownError, type Clock, type HttpRequest, type HttpResponse, type HttpTransport } from '@cio-dw/common';

export interface CircuitBreakerOptions {
  clock: Clock;
  /** No successful answer for this long (with `minFailures` failures in a row) opens the breaker. Default 4 min. */
  deadAfterMs?: number;
  /** Failures in a row needed before the time rule applies. Default 3. */
  minFailures?: number;
}

export const DEFAULT_DEAD_AFTER_MS = 4 * 60_000;

export class CircuitBreaker {
  private readonly clock: Clock;
  private readonly deadAfterMs: number;
  private readonly minFailures: number;
  private lastAliveMs: number;
  private failuresInRow = 0;
  private lastFailure = '';
  private opened: ServiceDownError | undefined;

  constructor(o: CircuitBreakerOptions) {
    this.clock = o.clock;
    this.deadAfterMs = o.deadAfterMs ?? DEFAULT_DEAD_AFTER_MS;
    this.minFailures = o.minFailures ?? 3;
    this.lastAliveMs = this.clock.now();
  }

  get isOpen(): boolean { return this.opened !== undefined; }
  /** Epoch ms of the last answer that showed the API alive (any status below 500), or the breaker's creation. */
  get lastAlive(): number { return this.lastAliveMs; }

  /** The transport with the breaker in front of it. */
  wrap(inner: HttpTransport): HttpTransport {
    return {
      request: async (req: HttpRequest): Promise<HttpResponse> => {
        this.throwIfOpen();
        let res: HttpResponse;
        try {
          res = await inner.request(req);
        } catch (e) {
          if (e instanceof NetworkError && !req.signal?.aborted) this.failed(`network error (${e.code})`, req);
          throw e;
        }
        if (res.status >= 500) this.failed(`HTTP ${res.status}`, req);
        else this.alive();
        return res;
      },
    };
  }

  /**
   * Called when a request gave up after its retries: if nothing answered since it started, the whole API
   * is down (not just this resource), so the breaker opens and the caller gets the ServiceDownError.
   */
  exhausted(startedMs: number): ServiceDownError | undefined {
    if (this.opened) return this.opened;
    if (this.lastAliveMs <= startedMs && this.failuresInRow > 0) return this.open();
    return undefined;
  }

  throwIfOpen(): void {
    if (this.opened) throw this.opened;
  }

  private alive(): void {
    this.lastAliveMs = this.clock.now();
    this.failuresInRow = 0;
  }

  private failed(what: string, req: HttpRequest): void {
    this.failuresInRow++;
    this.lastFailure = `${what} on ${req.method} ${pathOf(req.url)}`;
    if (this.failuresInRow >= this.minFailures && this.clock.now() - this.lastAliveMs >= this.deadAfterMs) throw this.open();
  }

  private open(): ServiceDownError {
    const silentS = Math.round((this.clock.now() - this.lastAliveMs) / 1000);
    this.opened ??= new ServiceDownError(
      `cio: the App API has not answered for ${silentS} s (${this.failuresInRow} failed attempts in a row, the last: ${this.lastFailure}); `
      + 'the sync stops here instead of retrying every stream. Check https://status.customer.io, the network path to the API '
      + '(firewall, proxy, DNS) and the region / api_url, then sync again: the next sync resumes from the last checkpoint.',
      { internal: `circuit breaker opened after ${this.failuresInRow} failures in a row; last alive ${silentS} s ago` },
    );
    return this.opened;
  }
}

function pathOf(url: string): string {
  try { return new URL(url).pathname; } catch { return '?'; }
}
