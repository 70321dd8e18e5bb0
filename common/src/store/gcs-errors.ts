// Maps errors thrown by @google-cloud/storage (ApiError, gaxios errors, or the network under them) to
// typed connector errors with specific, actionable messages. Pure: tested with literal error objects.
import { ConfigError, SystemError, TransientError } from '../errors.js';
import { ObjectExistsError, ObjectNotFoundError } from './object-store.js';

export type GcsAction = 'write' | 'read' | 'list' | 'delete';

export interface GcsErrorContext {
  action: GcsAction;
  bucket: string;
  /** Relative key (for messages). */
  key?: string;
  rootPrefix?: string;
  /** Custom API endpoint, if any (for messages). */
  endpoint?: string;
  /** Message prefix, 'bucket' by default. */
  domain?: string;
}

interface ApiErrorLike {
  name?: string;
  code?: number | string;
  status?: number;
  message?: string;
  errors?: Array<{ reason?: string; message?: string }>;
  response?: { status?: number };
}

const NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH',
  'EHOSTUNREACH', 'ENETDOWN', 'ENOTFOUND', 'UND_ERR_SOCKET',
]);

/** The HTTP status of a GCS error, if it has one. */
export function gcsHttpStatus(e: unknown): number | undefined {
  const x = (e ?? {}) as ApiErrorLike;
  if (typeof x.code === 'number') return x.code;
  return x.status ?? x.response?.status;
}

/** The first `reason` GCS gave ('notFound', 'forbidden', 'conditionNotMet', …) or a network errno. */
export function gcsReason(e: unknown): string {
  const x = (e ?? {}) as ApiErrorLike;
  return x.errors?.[0]?.reason ?? (typeof x.code === 'string' ? x.code : undefined) ?? x.name ?? 'Error';
}

const ROLE = { write: 'Storage Object User', delete: 'Storage Object User', read: 'Storage Object Viewer', list: 'Storage Object Viewer' } as const;

/** Typed error for a GCS failure: 412 on a write → ObjectExistsError; 404 on a key → ObjectNotFoundError. */
export function mapGcsError(e: unknown, ctx: GcsErrorContext): Error {
  if ((e as Error | undefined)?.name === 'AbortError') return e as Error;
  if (e instanceof ObjectExistsError || e instanceof ObjectNotFoundError) return e;
  const x = (e ?? {}) as ApiErrorLike;
  const d = ctx.domain ?? 'bucket';
  const status = gcsHttpStatus(e);
  const reason = gcsReason(e);
  const where = ctx.endpoint ? `bucket "${ctx.bucket}" at ${ctx.endpoint}` : `bucket "gs://${ctx.bucket}"`;
  const internal = `gcs ${ctx.action} ${ctx.bucket}/${ctx.rootPrefix ?? ''}${ctx.key ?? ''}: ${reason} (HTTP ${status ?? '-'}): ${x.message ?? ''}`;
  const opts = { internal, cause: e };
  const message = x.message ?? '';

  if (status === 412 && ctx.action === 'write' && ctx.key !== undefined) return new ObjectExistsError(d, ctx.key, where);
  if (status === 404) {
    if (/specified bucket|bucket does not exist/i.test(message) || ctx.key === undefined) {
      return new ConfigError(`${d}: ${where} does not exist. Create it, or fix the bucket name.`, opts);
    }
    return new ObjectNotFoundError(d, ctx.key, where);
  }
  if (status === 401 || reason === 'invalid_grant' || /invalid_grant|Could not load the default credentials|private key/i.test(message)) {
    return new ConfigError(`${d}: Google Cloud rejected or could not find the credentials (${reason}). Paste the whole service-account ` +
      'JSON key, or leave it empty and provide Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, workload identity).', opts);
  }
  if (status === 403) {
    return new ConfigError(`${d}: access denied to ${where} (${reason}): the service account may not ${ctx.action} objects` +
      `${ctx.rootPrefix ? ` under ${ctx.rootPrefix}` : ''}. Grant it the "${ROLE[ctx.action]}" role (roles/storage.objectUser covers everything) on the bucket.`, opts);
  }
  if (status === 400 && /bucket name/i.test(message)) {
    return new ConfigError(`${d}: "${ctx.bucket}" is not a valid bucket name. Use the bare name (no gs:// and no path).`, opts);
  }
  const code = typeof x.code === 'string' ? x.code : reason;
  if (NETWORK_CODES.has(code) || (status !== undefined && status >= 500) || status === 429 || status === 408) {
    const what = NETWORK_CODES.has(code) ? `cannot reach ${ctx.endpoint ?? 'Google Cloud Storage'} (${code})` : `GCS answered ${reason}${status ? ` (HTTP ${status})` : ''}`;
    return new TransientError(`${d}: ${ctx.action} in ${where} failed: ${what}. ` +
      `${NETWORK_CODES.has(code) ? 'Check the endpoint and the network, then retry.' : 'Retry later.'}`, opts);
  }
  return new SystemError(`${d}: ${ctx.action} in ${where}${ctx.key ? ` (key "${ctx.key}")` : ''} failed with ${reason}` +
    `${status ? ` (HTTP ${status})` : ''}${message && message !== reason ? `: ${message.split('\n')[0]}` : ''}`, opts);
}
