// The App API client: base URL per region, Bearer auth, one shared rate limiter, the retry table, and
// paging over `next` → `start`. Streams call the typed endpoint methods in ./endpoints.ts, never HTTP.
import { HttpClient, RateLimiter, SystemError, type BackoffPolicy, type Clock, type ErrorTable, type HttpMethod, type HttpTransport, type Logger } from '@cio-dw/common';
import type { CioConfig } from '../config.js';
import { baseUrlOf } from './base-url.js';
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
}

export interface CallOptions { errorTable?: ErrorTable }

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

  constructor(o: CioClientOptions) {
    this.baseUrl = baseUrlOf(o.config);
    this.limiter = o.limiter ?? new RateLimiter({ perSecond: o.config.requests_per_second ?? 10, burst: 1, clock: o.clock, windowMs: o.rateWindowMs ?? 1020 });
    this.http = new HttpClient({
      transport: o.transport, prefix: 'cio', clock: o.clock, logger: o.logger, limiter: this.limiter,
      errorTable: cioErrorTable(o.config.region ?? 'US'), maxRetries: o.maxRetries ?? 8,
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
    const headers = body === undefined ? this.headers : { ...this.headers, 'content-type': 'application/json' };
    const res = await this.http.request({
      method, url: this.url(path, query), headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(this.signal ? { signal: this.signal } : {}),
    }, options.errorTable ? { errorTable: options.errorTable } : {});
    if (res.status < 200 || res.status >= 300) return undefined;
    let parsed: unknown;
    try { parsed = await res.json(); } catch (e) {
      throw new SystemError(`cio: ${method} ${path} answered with a body that is not JSON; try again later.`, { internal: String(e) });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new SystemError(`cio: ${method} ${path} answered with an unexpected body (not a JSON object).`);
    }
    return parsed as JsonObject;
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
