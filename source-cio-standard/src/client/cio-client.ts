// The App API client: base URL per region, Bearer auth, one shared rate limiter, the retry table, and
// paging over `next` → `start`. Streams call the typed endpoint methods in ./endpoints.ts, never HTTP.
import { HttpClient, RateLimiter, TransientError, backoffDelay, defaultBackoffPolicy, type BackoffPolicy, type Clock, type ErrorTable, type HttpMethod, type HttpResponse, type HttpTransport, type Logger } from '@cio-dw/common';
import type { CioConfig } from '../config.js';
import { baseUrlOf } from './base-url.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { cioErrorTable } from './error-table.js';
import { NextTokenPaginator } from './paginator.js';

export type Query = Record<string, string | number | boolean | undefined>;
export type JsonObject = Record<string, unknown>;

export interface CioClientOptions {
  config: Pick<CioConfig, 'app_api_key' | 'region' | 'api_url' | 'requests_per_second'>;
  transport: HttpTransport;
  /** Timing clock (rate limiting, backoff): real time in production. */
  clock: Clock;
  logger: Logger;
  /** Shared limiter; by default one is made from `requests_per_second`. */
  limiter?: RateLimiter;
  signal?: AbortSignal;
  /** Retries for 5xx / network errors (default 8). */
  maxRetries?: number;
  /** Backoff when no Retry-After is given (tests shorten it). */
  backoff?: Partial<BackoffPolicy>;
  /** Sliding window of the default limiter in ms (default 1000: ≤ N requests in any second). */
  rateWindowMs?: number;
  /** Retries after 429 (default 30; `check` uses 0). */
  maxRateLimitedRetries?: number;
  /** Whole-request timeout in ms (default: the transport's, 60 s). */
  timeoutMs?: number;
  /** Shared by every request of the sync: a dead API fails the sync once, fast (./circuit-breaker.ts). */
  breaker?: CircuitBreaker;
}

export interface CallOptions { errorTable?: ErrorTable }

/** A response as received (status, headers, parsed JSON object body when 2xx). */
export interface RawCall { status: number; headers: HttpResponse['headers']; body: JsonObject | undefined }

export interface Page {
  body: JsonObject;
  /** The `start` token this page was fetched with (undefined for the first page). */
  start: string | undefined;
  /** The token for the following page, or undefined on the last page. */
  next: string | undefined;
}

export interface PagingOptions extends CallOptions {
  /** Resume from this token. */
  start?: string;
  /** The list key of each page; with `stopOnEmpty` an empty list ends paging (activities). */
  listKey: string;
  stopOnEmpty?: boolean;
  body?: unknown;
  method?: HttpMethod;
}

export class CioClient {
  readonly http: HttpClient;
  readonly limiter: RateLimiter;
  readonly baseUrl: string;
  private readonly headers: Record<string, string>;
  private readonly signal: AbortSignal | undefined;
  private readonly clock: Clock;
  private readonly maxRetries: number;
  private readonly policy: BackoffPolicy;
  private readonly timeoutMs: number | undefined;
  readonly breaker: CircuitBreaker | undefined;

  constructor(o: CioClientOptions) {
    this.baseUrl = baseUrlOf(o.config);
    this.limiter = o.limiter ?? new RateLimiter({ perSecond: o.config.requests_per_second ?? 10, burst: 1, clock: o.clock, windowMs: o.rateWindowMs ?? 1020 });
    this.clock = o.clock;
    this.maxRetries = o.maxRetries ?? 8;
    this.policy = { ...defaultBackoffPolicy, ...o.backoff };
    this.timeoutMs = o.timeoutMs;
    this.breaker = o.breaker;
    this.http = new HttpClient({
      transport: o.breaker ? o.breaker.wrap(o.transport) : o.transport, prefix: 'cio', clock: o.clock, logger: o.logger, limiter: this.limiter,
      errorTable: cioErrorTable(o.config.region ?? 'US'), maxRetries: this.maxRetries,
      ...(o.maxRateLimitedRetries !== undefined ? { maxRateLimitedRetries: o.maxRateLimitedRetries } : {}),
      ...(o.backoff ? { backoff: o.backoff } : {}),
    });
    this.headers = { authorization: `Bearer ${o.config.app_api_key.trim()}`, accept: 'application/json', 'user-agent': 'cio-dw-source-cio-standard/0.1.0' };
    this.signal = o.signal;
  }

  get stats() { return this.http.stats; }

  url(path: string, query: Query = {}): string {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, String(v));
    const s = qs.toString();
    return `${this.baseUrl}${path}${s ? `?${s}` : ''}`;
  }

  /** One request; resolves with the parsed body, or undefined when the error table said `ignore` (e.g. 404). */
  async call(method: HttpMethod, path: string, query: Query = {}, body?: unknown, options: CallOptions = {}): Promise<JsonObject | undefined> {
    const r = await this.callRaw(method, path, query, body, options);
    return r.status >= 200 && r.status < 300 ? r.body : undefined;
  }

  /**
   * One request with its status and headers (for callers that handle an `ignore`d status themselves).
   * A 2xx body that is not a JSON object (truncated or garbled on the way) is transient: the request is
   * sent again with backoff, within the same retry budget as a 5xx.
   */
  async callRaw(method: HttpMethod, path: string, query: Query = {}, body?: unknown, options: CallOptions = {}): Promise<RawCall> {
    const headers = body === undefined ? this.headers : { ...this.headers, 'content-type': 'application/json' };
    const startedMs = this.clock.now();
    for (let attempt = 1; ; attempt++) {
      let res: HttpResponse;
      try {
        res = await this.http.request({
          method, url: this.url(path, query), headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          ...(this.signal ? { signal: this.signal } : {}),
          ...(this.timeoutMs !== undefined ? { timeoutMs: this.timeoutMs } : {}),
        }, options.errorTable ? { errorTable: options.errorTable } : {});
      } catch (e) {
        // Out of retries while nothing else answered either: the API is down, not this resource.
        if (e instanceof TransientError && this.breaker) throw this.breaker.exhausted(startedMs) ?? e;
        throw e;
      }
      if (res.status < 200 || res.status >= 300) return { status: res.status, headers: res.headers, body: undefined };
      const parsed = await parseObject(res);
      if (parsed.ok) return { status: res.status, headers: res.headers, body: parsed.value };
      if (attempt > this.maxRetries) {
        throw new TransientError(`cio: ${method} ${path} kept answering with a truncated or malformed body (${parsed.why}) after ${this.maxRetries} retries; try again later.`, { internal: parsed.internal });
      }
      const delayMs = backoffDelay({ attempt, nowMs: this.clock.now(), random: Math.random() }, this.policy);
      this.http.stats.retries++;
      await this.clock.sleep(delayMs, this.signal);
    }
  }

  get(path: string, query?: Query, options?: CallOptions): Promise<JsonObject | undefined> {
    return this.call('GET', path, query, undefined, options);
  }

  /**
   * Pages through a list endpoint. An empty page that still carries `next` is followed (messages).
   * The following page is requested as soon as a page arrives, while the caller works on this one
   * (one page of lookahead), so a sequential read keeps the rate budget busy.
   */
  async *pages(path: string, query: Query, o: PagingOptions): AsyncGenerator<Page> {
    const paginator = new NextTokenPaginator(`${o.method ?? 'GET'} ${path}`, o.start);
    const fetchPage = (start: string | undefined) => {
      const p = this.call(o.method ?? 'GET', path, { ...query, start }, o.body, o);
      p.catch(() => { /* surfaced when awaited */ });
      return p;
    };
    let start = paginator.start;
    let pending = fetchPage(start);
    for (;;) {
      const body = await pending;
      if (body === undefined) return; // ignored (e.g. 404 of a deleted parent)
      const items = body[o.listKey];
      const empty = !Array.isArray(items) || items.length === 0;
      const more = !(o.stopOnEmpty && empty) && paginator.advance(body['next']);
      const next = more ? paginator.start : undefined;
      if (more) pending = fetchPage(next);
      yield { body, start, next };
      if (!more) return;
      start = next;
    }
  }
}

/** The list under `key`, tolerating `null` for empty lists (live API quirk). */
export function listOf(body: JsonObject | undefined, key: string): JsonObject[] {
  const v = body?.[key];
  return Array.isArray(v) ? v.filter((x): x is JsonObject => typeof x === 'object' && x !== null) : [];
}

async function parseObject(res: HttpResponse): Promise<{ ok: true; value: JsonObject } | { ok: false; why: string; internal: string }> {
  let parsed: unknown;
  try { parsed = await res.json(); } catch (e) { return { ok: false, why: 'not JSON', internal: String(e) }; }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, why: 'not a JSON object', internal: typeof parsed };
  return { ok: true, value: parsed as JsonObject };
}
