// Retry policy as data (after airbyte-python-cdk `error_handlers/default_error_mapping.py`): a table maps
// an outcome (an HTTP status or a network error) to an action and a failure type. Connectors extend the
// default table with their own entries and user-facing messages; a request can override entries too
// (e.g. `{ 404: { action: 'ignore' } }` for a sub-resource of a deleted campaign).
import type { FailureType } from '../protocol/types.js';
import type { NetworkErrorCode } from './transport.js';

/**
 * - `success`: hand the response to the caller.
 * - `retry`: back off (capped exponential with jitter, or `Retry-After`) and try again, up to `maxRetries`.
 * - `rate_limited`: like retry, but also pauses every caller sharing the rate limiter; own retry budget.
 * - `fail`: throw the typed error for `failureType` with `message`.
 * - `ignore`: return the response to the caller, who skips it (the status tells it what happened).
 */
export type ResponseAction = 'success' | 'retry' | 'rate_limited' | 'fail' | 'ignore';

export interface ErrorResolution {
  action: ResponseAction;
  /** Error class when this fails (or when retries run out). Defaults: fail → system_error, retry → transient_error. */
  failureType?: FailureType;
  /** User-facing text saying what to do, without the domain prefix (the client adds `cio: `). */
  message?: string;
}

/**
 * Keys, most specific first: an exact status (`401`), a status class (`'4xx'`), `'network:<code>'`
 * (see NetworkErrorCode), `'network'`, then `'default'`. Numeric keys are fine in object literals.
 */
export type ErrorTable = Readonly<Record<string, ErrorResolution>>;

export type Outcome = { status: number } | { network: NetworkErrorCode };

export const defaultErrorTable: ErrorTable = Object.freeze({
  400: { action: 'fail', failureType: 'system_error', message: 'the API rejected the request as malformed; this is a connector bug, please report it.' },
  401: { action: 'fail', failureType: 'config_error', message: 'the API rejected the credentials; check the API key.' },
  402: { action: 'fail', failureType: 'config_error', message: 'the account cannot use this API; check the plan or billing of the account.' },
  403: { action: 'fail', failureType: 'config_error', message: 'the credentials lack permission for this resource; check the key\'s scope.' },
  404: { action: 'fail', failureType: 'system_error', message: 'the resource was not found.' },
  408: { action: 'retry', failureType: 'transient_error', message: 'the API timed out; try again later.' },
  429: { action: 'rate_limited', failureType: 'transient_error', message: 'the API kept rate-limiting requests; try again later or lower the request rate.' },
  501: { action: 'fail', failureType: 'system_error', message: 'the API does not implement this request; this is a connector bug, please report it.' },
  '3xx': { action: 'fail', failureType: 'system_error', message: 'the API answered with an unexpected redirect; check the API URL.' },
  '4xx': { action: 'fail', failureType: 'system_error', message: 'the API refused the request; this is likely a connector bug, please report it.' },
  '5xx': { action: 'retry', failureType: 'transient_error', message: 'the API kept failing with server errors; try again later.' },
  'network:tls': { action: 'fail', failureType: 'config_error', message: 'the TLS connection to the API failed; check the API URL and any proxy or certificate setup.' },
  'network:dns': { action: 'retry', failureType: 'transient_error', message: 'the API host name could not be resolved; check the API URL and network, then try again.' },
  network: { action: 'retry', failureType: 'transient_error', message: 'the network connection to the API kept failing; try again later.' },
  default: { action: 'fail', failureType: 'system_error', message: 'the API answered unexpectedly.' },
} satisfies Record<string, ErrorResolution>);

/** A new table: `base` with `overrides` on top (entries replace whole resolutions, not fields). */
export function extendErrorTable(base: ErrorTable, overrides: ErrorTable): ErrorTable {
  return Object.freeze({ ...base, ...overrides });
}

const SUCCESS: ErrorResolution = Object.freeze({ action: 'success' });

/** Looks an outcome up in the table. 2xx without an exact entry is `success`. Pure. */
export function resolveOutcome(table: ErrorTable, outcome: Outcome): ErrorResolution {
  if ('status' in outcome) {
    const s = outcome.status;
    const exact = table[String(s)];
    if (exact) return exact;
    if (s >= 200 && s < 300) return SUCCESS;
    return table[`${Math.floor(s / 100)}xx`] ?? table.default ?? defaultResolution();
  }
  return table[`network:${outcome.network}`] ?? table.network ?? table.default ?? defaultResolution();
}

function defaultResolution(): ErrorResolution {
  return { action: 'fail', failureType: 'system_error', message: 'the API answered unexpectedly.' };
}

/** The failure type an error raised for this resolution carries. */
export function failureTypeOf(r: ErrorResolution): FailureType {
  if (r.failureType) return r.failureType;
  return r.action === 'retry' || r.action === 'rate_limited' ? 'transient_error' : 'system_error';
}
