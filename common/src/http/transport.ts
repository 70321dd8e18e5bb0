// The HTTP seam: connectors talk to an `HttpTransport`, never to `fetch` directly, so tests can pass a fake.
// A transport sends one request and returns the status, headers and the (already buffered) body; it never
// retries and never throws for an HTTP status. Network failures are thrown as `NetworkError`.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers?: Readonly<Record<string, string>>;
  body?: string | Uint8Array;
  /** Aborting this cancels the request (and any wait in the client); the abort reason is rethrown as is. */
  signal?: AbortSignal;
  /** Whole-request timeout (headers and body); the transport's default applies when absent. */
  timeoutMs?: number;
}

/** Read-only, case-insensitive header access (a WHATWG `Headers` satisfies it). */
export interface HttpHeaders {
  get(name: string): string | null;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: HttpHeaders;
  text(): Promise<string>;
  /** Parses the body as JSON; rejects with a SyntaxError when it is not JSON. */
  json(): Promise<unknown>;
}

export interface HttpTransport {
  request(req: HttpRequest): Promise<HttpResponse>;
}

/** What went wrong below HTTP. The error table has a key per code (`network:<code>`) plus `network`. */
export type NetworkErrorCode = 'timeout' | 'connection_reset' | 'connection_refused' | 'dns' | 'tls' | 'other';

/** A request that got no complete HTTP response. Its message never holds the URL or headers. */
export class NetworkError extends Error {
  readonly code: NetworkErrorCode;
  /** The low-level code, e.g. `ECONNRESET`, `UND_ERR_SOCKET` (for logs). */
  readonly detail: string | undefined;
  constructor(code: NetworkErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(`network error (${code}${detail ? `: ${detail}` : ''})`, options);
    this.name = 'NetworkError';
    this.code = code;
    this.detail = detail;
  }
}

/** Builds an in-memory response; for fake transports in tests and for transports that buffer bodies. */
export function createResponse(init: {
  status: number;
  body?: string | Uint8Array | object;
  headers?: Readonly<Record<string, string>>;
}): HttpResponse {
  const headers = new Headers(init.headers);
  let text: string;
  if (init.body === undefined) text = '';
  else if (typeof init.body === 'string') text = init.body;
  else if (init.body instanceof Uint8Array) text = new TextDecoder().decode(init.body);
  else {
    text = JSON.stringify(init.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  return {
    status: init.status,
    headers,
    text: async () => text,
    json: async () => JSON.parse(text) as unknown,
  };
}
