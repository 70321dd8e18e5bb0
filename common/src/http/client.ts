// HttpClient: transport + rate limiter + error table + backoff, with an injected Clock and Logger.
// Streams never see this; a connector's API client wraps it. Errors it throws are ConfigError /
// TransientError / SystemError whose messages name only the method and path, never headers or query.
import { systemClock, type Clock } from '../clock.js';
import { ConfigError, ConnectorError, SystemError, TransientError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import type { FailureType } from '../protocol/types.js';
import { backoffDelay, defaultBackoffPolicy, type BackoffPolicy } from './backoff.js';
import { defaultErrorTable, failureTypeOf, resolveOutcome, type ErrorResolution, type ErrorTable, type Outcome } from './error-table.js';
import type { RateLimiter } from './rate-limiter.js';
import { NetworkError, type HttpRequest, type HttpResponse, type HttpTransport } from './transport.js';

export interface HttpClientOptions {
  transport: HttpTransport;
  /** Domain prefix of every message, e.g. `cio` → "cio: …". */
  prefix: string;
  clock?: Clock;
  logger?: Logger;
  /** Shared by every request of this client (and of any other client given the same limiter). */
  limiter?: RateLimiter;
  /** Defaults to `defaultErrorTable`; build yours with `extendErrorTable(defaultErrorTable, {...})`. */
  errorTable?: ErrorTable;
  /** Retries for `retry` outcomes (5xx, network, 408). Default 8. */
  maxRetries?: number;
  /** Retries for `rate_limited` outcomes (429), counted separately. Default 30. */
  maxRateLimitedRetries?: number;
  backoff?: Partial<BackoffPolicy>;
  /** Source of randomness for jitter, in [0, 1). Default Math.random. */
  random?: () => number;
  /** Log each retry through `logger.warn`. Default true. */
  logRetries?: boolean;
}

export interface RetryInfo {
  /** "GET /v1/messages" (no host, no query). */
  request: string;
  /** HTTP status, or undefined for a network error. */
  status: number | undefined;
  network: NetworkError['code'] | undefined;
  action: 'retry' | 'rate_limited';
  /** 1-based retry number and the budget it counts against. */
  retry: number;
  maxRetries: number;
  delayMs: number;
}

export interface RequestOptions {
  /** Entries laid over the client's table for this request only, e.g. `{ 404: { action: 'ignore' } }`. */
  errorTable?: ErrorTable;
  maxRetries?: number;
  onRetry?: (info: RetryInfo) => void;
}

export interface HttpClientStats {
  /** Requests handed to the transport (first tries and retries). */
  requests: number;
  /** Retries of any kind (including those after a 429). */
  retries: number;
  /** Responses whose outcome was `rate_limited` (429s with the default table). */
  rateLimited: number;
  /** Network errors (no HTTP response). */
  networkErrors: number;
  /** Responses returned to the caller with an `ignore` action. */
  ignored: number;
}

export class HttpClient {
  readonly stats: HttpClientStats = { requests: 0, retries: 0, rateLimited: 0, networkErrors: 0, ignored: 0 };
  private readonly transport: HttpTransport;
  private readonly prefix: string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly limiter: RateLimiter | undefined;
  private readonly table: ErrorTable;
  private readonly maxRetries: number;
  private readonly maxRateLimitedRetries: number;
  private readonly policy: BackoffPolicy;
  private readonly random: () => number;
  private readonly logRetries: boolean;

  constructor(o: HttpClientOptions) {
    this.transport = o.transport;
    this.prefix = o.prefix;
    this.clock = o.clock ?? systemClock;
    this.logger = o.logger ?? silentLogger;
    this.limiter = o.limiter;
    this.table = o.errorTable ?? defaultErrorTable;
    this.maxRetries = o.maxRetries ?? 8;
    this.maxRateLimitedRetries = o.maxRateLimitedRetries ?? 30;
    this.policy = { ...defaultBackoffPolicy, ...o.backoff };
    this.random = o.random ?? Math.random;
    this.logRetries = o.logRetries ?? true;
  }

  /**
   * Sends `req`, retrying per the error table. Resolves with the response for `success` and `ignore`
   * outcomes (check `status` to tell them apart); throws a ConnectorError otherwise. An abort through
   * `req.signal` rejects with the signal's reason.
   */
  async request(req: HttpRequest, options: RequestOptions = {}): Promise<HttpResponse> {
    const table = options.errorTable ? { ...this.table, ...options.errorTable } : this.table;
    const maxRetries = options.maxRetries ?? this.maxRetries;
    const what = describeRequest(req);
    const secrets = secretValues(req);
    let retries = 0;
    let rateLimitedRetries = 0;
    for (;;) {
      if (this.limiter) await this.limiter.acquire(req.signal);
      else if (req.signal?.aborted) throw req.signal.reason;
      this.stats.requests++;
      let response: HttpResponse | undefined;
      let outcome: Outcome;
      try {
        response = await this.transport.request(req);
        outcome = { status: response.status };
      } catch (e) {
        if (req.signal?.aborted) throw req.signal.reason;
        // A transport wrapper may refuse with a typed error (e.g. an open circuit breaker): pass it on as is.
        if (e instanceof ConnectorError) throw e;
        if (!(e instanceof NetworkError)) {
          const msg = e instanceof Error ? e.message : String(e);
          throw new SystemError(`${this.prefix}: ${what} could not be sent; this is a connector bug, please report it.`, {
            internal: redact(msg, secrets), cause: e,
          });
        }
        this.stats.networkErrors++;
        outcome = { network: e.code };
      }
      const resolution = resolveOutcome(table, outcome);
      const seen = response ? `HTTP ${response.status}` : `network error ${(outcome as { network: string }).network}`;
      switch (resolution.action) {
        case 'success':
          return response!;
        case 'ignore':
          if (response) { this.stats.ignored++; return response; }
          // An ignored network error has no response to hand back: treat as a failure.
          throw await this.error(resolution, what, seen, response, secrets);
        case 'fail':
          throw await this.error(resolution, what, seen, response, secrets);
        case 'retry':
        case 'rate_limited': {
          const limited = resolution.action === 'rate_limited';
          if (limited) this.stats.rateLimited++;
          const used = limited ? ++rateLimitedRetries : ++retries;
          const budget = limited ? this.maxRateLimitedRetries : maxRetries;
          if (used > budget) {
            throw await this.error(resolution, what, `${seen}, gave up after ${budget} ${budget === 1 ? 'retry' : 'retries'}`, response, secrets);
          }
          const delayMs = backoffDelay({
            attempt: used, retryAfter: response?.headers.get('retry-after'), nowMs: this.clock.now(), random: this.random(),
          }, this.policy);
          this.stats.retries++;
          const info: RetryInfo = {
            request: what, status: response?.status, network: 'network' in outcome ? outcome.network : undefined,
            action: resolution.action, retry: used, maxRetries: budget, delayMs,
          };
          if (this.logRetries) {
            this.logger.warn(`${this.prefix}: ${response ? response.status : `network error (${info.network})`} on ${what}, retry ${used}/${budget} in ${(delayMs / 1000).toFixed(1)}s`);
          }
          options.onRetry?.(info);
          if (limited && this.limiter) this.limiter.penalize(delayMs); // everyone waits; our acquire() sleeps
          else await this.clock.sleep(delayMs, req.signal);
          break;
        }
      }
    }
  }

  private async error(r: ErrorResolution, what: string, seen: string, response: HttpResponse | undefined, secrets: string[]): Promise<ConnectorError> {
    const type = failureTypeOf(r);
    const message = redact(`${this.prefix}: ${r.message ?? 'the API answered unexpectedly.'} (${seen} on ${what})`, secrets);
    let body = '';
    if (response) { try { body = (await response.text()).slice(0, 500); } catch { /* body unavailable */ } }
    const internal = body ? redact(`${seen} on ${what}; body: ${body}`, secrets) : undefined;
    return makeError(type, message, internal);
  }
}

function makeError(type: FailureType, message: string, internal: string | undefined): ConnectorError {
  const opts = internal === undefined ? {} : { internal };
  if (type === 'config_error') return new ConfigError(message, opts);
  if (type === 'transient_error') return new TransientError(message, opts);
  return new SystemError(message, opts);
}

/** "GET /v1/messages": method and path only; host, query and fragment may carry keys, so they are left out. */
export function describeRequest(req: Pick<HttpRequest, 'method' | 'url'>): string {
  let path: string;
  try { path = new URL(req.url).pathname; } catch { path = (req.url.split(/[?#]/)[0] ?? '').replace(/^[a-z]+:\/\/[^/]*/i, '') || '/'; }
  return `${req.method} ${path}`;
}

const SECRET_HEADERS = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|x-auth-token)$/i;

/** Values that must never show up in a message: credential headers (and their tokens) and query values. */
function secretValues(req: HttpRequest): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(req.headers ?? {})) {
    if (!SECRET_HEADERS.test(k) || !v) continue;
    out.push(v);
    const token = v.split(' ').slice(1).join(' ');
    if (token) out.push(token);
  }
  try { new URL(req.url).searchParams.forEach((v) => { if (v.length >= 6) out.push(v); }); } catch { /* not a URL */ }
  return out.filter((s) => s.length >= 6).sort((a, b) => b.length - a.length);
}

function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}
