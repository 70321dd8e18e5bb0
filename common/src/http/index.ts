// Public API of the HTTP kit (re-exported from common/src/index.ts).
export type { HttpMethod, HttpRequest, HttpHeaders, HttpResponse, HttpTransport, NetworkErrorCode } from './transport.js';
export { NetworkError, createResponse } from './transport.js';
export { fetchTransport, toNetworkError, type FetchTransportOptions } from './fetch-transport.js';
export type { ResponseAction, ErrorResolution, ErrorTable, Outcome } from './error-table.js';
export { defaultErrorTable, extendErrorTable, resolveOutcome, failureTypeOf } from './error-table.js';
export { backoffDelay, parseRetryAfter, defaultBackoffPolicy, type BackoffPolicy, type BackoffInput } from './backoff.js';
export { RateLimiter, type RateLimiterOptions } from './rate-limiter.js';
export { HttpClient, describeRequest, type HttpClientOptions, type RequestOptions, type RetryInfo, type HttpClientStats } from './client.js';
