// HttpTransport over Node's global fetch (undici). Buffers each body before returning, so a connection
// dropped mid-body surfaces here as a NetworkError (and is retried) instead of in the caller's json().
import { NetworkError, createResponse, type HttpRequest, type HttpResponse, type HttpTransport, type NetworkErrorCode } from './transport.js';

export interface FetchTransportOptions {
  /** Default whole-request timeout in ms (default 60 s); `HttpRequest.timeoutMs` overrides it. */
  timeoutMs?: number;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

export function fetchTransport(options: FetchTransportOptions = {}): HttpTransport {
  const defaultTimeout = options.timeoutMs ?? 60_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  return {
    async request(req: HttpRequest): Promise<HttpResponse> {
      const outer = req.signal;
      if (outer?.aborted) throw outer.reason;
      const ctl = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => { timedOut = true; ctl.abort(new NetworkError('timeout')); }, req.timeoutMs ?? defaultTimeout);
      const onAbort = () => ctl.abort(outer?.reason);
      outer?.addEventListener('abort', onAbort, { once: true });
      try {
        const res = await doFetch(req.url, {
          method: req.method,
          headers: req.headers ? { ...req.headers } : undefined,
          body: req.body,
          signal: ctl.signal,
          redirect: 'follow',
        });
        const bytes = new Uint8Array(await res.arrayBuffer());
        const headers: Record<string, string> = {};
        res.headers.forEach((value, key) => { headers[key] = value; });
        return createResponse({ status: res.status, headers, body: bytes });
      } catch (e) {
        if (outer?.aborted) throw outer.reason;
        if (timedOut) throw new NetworkError('timeout', `after ${req.timeoutMs ?? defaultTimeout} ms`);
        const net = toNetworkError(e);
        if (net) throw net;
        throw e;
      } finally {
        clearTimeout(timer);
        outer?.removeEventListener('abort', onAbort);
      }
    },
  };
}

const CODES: Record<string, NetworkErrorCode> = {
  ECONNRESET: 'connection_reset', EPIPE: 'connection_reset', ECONNABORTED: 'connection_reset',
  UND_ERR_SOCKET: 'connection_reset', UND_ERR_CLOSED: 'connection_reset', UND_ERR_ABORTED: 'connection_reset',
  ECONNREFUSED: 'connection_refused', EHOSTUNREACH: 'connection_refused', ENETUNREACH: 'connection_refused',
  ENETDOWN: 'connection_refused', EHOSTDOWN: 'connection_refused',
  ENOTFOUND: 'dns', EAI_AGAIN: 'dns', EAI_FAIL: 'dns',
  ETIMEDOUT: 'timeout', UND_ERR_CONNECT_TIMEOUT: 'timeout', UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
};

/**
 * Maps what undici throws to a NetworkError, or undefined when the error is not a network failure
 * (e.g. an invalid URL, which is a bug or a config problem, not something to retry).
 */
export function toNetworkError(e: unknown): NetworkError | undefined {
  if (e instanceof NetworkError) return e;
  let fetchFailed = false;
  for (let cur: unknown = e, depth = 0; cur && depth < 6; cur = (cur as { cause?: unknown }).cause, depth++) {
    const err = cur as { code?: unknown; name?: unknown; message?: unknown };
    const code = typeof err.code === 'string' ? err.code : undefined;
    const message = typeof err.message === 'string' ? err.message : '';
    if (code && CODES[code]) return new NetworkError(CODES[code], code, { cause: e });
    if (code && (code.startsWith('ERR_TLS_') || code.startsWith('CERT_') || code.includes('_CERT') || code.startsWith('UNABLE_TO_'))) {
      return new NetworkError('tls', code, { cause: e });
    }
    if (err.name === 'TimeoutError') return new NetworkError('timeout', 'TimeoutError', { cause: e });
    if (/socket hang up|other side closed|terminated/i.test(message)) return new NetworkError('connection_reset', message, { cause: e });
    if (message === 'fetch failed') fetchFailed = true;
  }
  return fetchFailed ? new NetworkError('other', 'fetch failed', { cause: e }) : undefined;
}
