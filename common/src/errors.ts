// Typed errors. Connectors throw these; only the CLI runner turns them into TRACE messages and exit codes.
import type { FailureType } from './protocol/types.js';

export abstract class ConnectorError extends Error {
  abstract readonly failureType: FailureType;
  /** Text for engineers (may name internals); `message` is the user-facing text and says what to do. */
  readonly internalMessage: string | undefined;
  constructor(message: string, options: { internal?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.internalMessage = options.internal;
  }
}
/** The user must change something (config, credentials, catalog, input). */
export class ConfigError extends ConnectorError { readonly failureType = 'config_error' as const; }
/** Worth retrying later as is (network, 5xx, rate limits that outlasted our retries). */
export class TransientError extends ConnectorError { readonly failureType = 'transient_error' as const; }
/**
 * The remote service is down for every request (a shared circuit breaker opened): every further stream
 * would fail the same way, so a read stops at the first one instead of spending each stream's retries.
 */
export class ServiceDownError extends TransientError {}
/** A bug or an unexpected condition in the connector or the remote system. */
export class SystemError extends ConnectorError { readonly failureType = 'system_error' as const; }

export function isConnectorError(e: unknown): e is ConnectorError {
  return e instanceof ConnectorError;
}
/** Wrap anything thrown into a ConnectorError (unknown errors are system errors). */
export function toConnectorError(e: unknown): ConnectorError {
  if (e instanceof ConnectorError) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  return new SystemError(`unexpected error: ${err.message}`, { internal: err.stack, cause: err });
}
