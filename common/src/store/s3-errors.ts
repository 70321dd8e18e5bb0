// Maps errors thrown by @aws-sdk/client-s3 (or the network under it) to typed connector errors with
// specific, actionable messages. Pure: tested with literal error objects. Never prints secrets.
import { ConfigError, SystemError, TransientError } from '../errors.js';
import { ObjectExistsError, ObjectNotFoundError } from './object-store.js';

export type S3Action =
  | 's3:PutObject' | 's3:GetObject' | 's3:ListBucket' | 's3:DeleteObject'
  | 's3:AbortMultipartUpload' | 's3:ListBucketMultipartUploads' | 's3:GetBucketLocation';

export interface S3ErrorContext {
  action: S3Action;
  bucket: string;
  region: string;
  /** Relative key (for messages). */
  key?: string;
  /** Full key prefix in the bucket (for permission messages). */
  rootPrefix?: string;
  /** Custom endpoint, if any (for messages). */
  endpoint?: string;
  /** Message prefix, 'bucket' by default. */
  domain?: string;
}

/** The fields of an SDK ServiceException (or a plain Error) that we look at. */
interface SdkErrorLike {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  Region?: string;
  Endpoint?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string; attempts?: number };
  $response?: { statusCode?: number; headers?: Record<string, string | undefined> };
}

const NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH',
  'EHOSTUNREACH', 'ENETDOWN', 'ENOTFOUND', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE',
]);
const TRANSIENT_CODES = new Set([
  'SlowDown', 'InternalError', 'ServiceUnavailable', 'RequestTimeout', 'RequestTimeTooSkewed',
  'TimeoutError', 'RequestTimeoutException', 'Throttling', 'ThrottlingException', 'OperationAborted',
]);

/** The error code S3 returned ('NoSuchBucket', 'AccessDenied', '412', …) or a network errno. */
export function s3ErrorCode(e: unknown): string {
  const x = (e ?? {}) as SdkErrorLike;
  return x.Code ?? (typeof x.code === 'string' ? x.code : undefined) ?? x.name ?? 'Error';
}
export function s3HttpStatus(e: unknown): number | undefined {
  const x = (e ?? {}) as SdkErrorLike;
  return x.$metadata?.httpStatusCode ?? x.$response?.statusCode;
}

/** The region a wrong-region error points to, if S3 said so. */
export function redirectRegion(e: unknown): string | undefined {
  const x = (e ?? {}) as SdkErrorLike;
  const h = x.$response?.headers ?? {};
  const fromHeader = h['x-amz-bucket-region'] ?? h['X-Amz-Bucket-Region'];
  if (fromHeader) return fromHeader;
  if (x.Region) return x.Region;
  const m = x.Endpoint ? /s3[.-]([a-z0-9-]+)\.amazonaws\.com/.exec(x.Endpoint) : null;
  if (m?.[1] && m[1] !== 'external-1') return m[1];
  const m2 = x.message ? /expecting '([a-z0-9-]+)'/.exec(x.message) : null;
  return m2?.[1];
}

export function isAbortError(e: unknown): boolean {
  return (e as Error | undefined)?.name === 'AbortError';
}

/**
 * Typed error for an S3 failure. 412 on a write → ObjectExistsError; 404 on a key → ObjectNotFoundError;
 * aborts pass through unchanged.
 */
export function mapS3Error(e: unknown, ctx: S3ErrorContext): Error {
  if (isAbortError(e)) return e as Error;
  if (e instanceof ObjectExistsError || e instanceof ObjectNotFoundError) return e;
  const x = (e ?? {}) as SdkErrorLike;
  const d = ctx.domain ?? 'bucket';
  const code = s3ErrorCode(e);
  const status = s3HttpStatus(e);
  const where = ctx.endpoint ? `bucket "${ctx.bucket}" at ${ctx.endpoint}` : `bucket "${ctx.bucket}"`;
  const internal = `${ctx.action} ${ctx.bucket}/${ctx.rootPrefix ?? ''}${ctx.key ?? ''}: ${code} (HTTP ${status ?? '-'}, ` +
    `request ${x.$metadata?.requestId ?? '-'}, attempts ${x.$metadata?.attempts ?? '-'}): ${x.message ?? ''}`;
  const opts = { internal, cause: e };
  const resource = `arn:aws:s3:::${ctx.bucket}${ctx.action === 's3:ListBucket' || ctx.action === 's3:ListBucketMultipartUploads' ? '' : `/${ctx.rootPrefix ?? ''}*`}`;

  if (code === 'PreconditionFailed' || status === 412) {
    if (ctx.action === 's3:PutObject' && ctx.key !== undefined) return new ObjectExistsError(d, ctx.key, where);
  }
  if (code === 'NoSuchKey' || ((code === 'NotFound' || status === 404) && code !== 'NoSuchBucket' && code !== 'NoSuchUpload' && ctx.key !== undefined)) {
    return new ObjectNotFoundError(d, ctx.key ?? '', where);
  }
  switch (code) {
    case 'NoSuchBucket':
      return new ConfigError(`${d}: bucket "${ctx.bucket}" does not exist in region ${ctx.region}` +
        `${ctx.endpoint ? ` at ${ctx.endpoint}` : ''}. Create it, or fix the bucket name and region.`, opts);
    case 'InvalidAccessKeyId':
      return new ConfigError(`${d}: the access key ID is not known to ${ctx.endpoint ?? 'AWS'} (InvalidAccessKeyId). ` +
        'Check the access key ID, or that the keys belong to this account/endpoint.', opts);
    case 'SignatureDoesNotMatch':
      return new ConfigError(`${d}: the secret access key does not match the access key ID (SignatureDoesNotMatch). ` +
        'Check the secret access key.', opts);
    case 'ExpiredToken': case 'TokenRefreshRequired':
      return new ConfigError(`${d}: the session token has expired (${code}). Provide fresh credentials.`, opts);
    case 'InvalidToken':
      return new ConfigError(`${d}: the session token is invalid (InvalidToken). Check the session token, or remove it for long-term keys.`, opts);
    case 'CredentialsProviderError':
      return new ConfigError(`${d}: no AWS credentials found. Set the access key ID and secret access key, ` +
        'or provide credentials through the environment, a profile or an instance/task role.', opts);
    case 'AccessDenied': case 'AllAccessDisabled': case 'Forbidden':
      return new ConfigError(`${d}: access denied: the credentials lack ${ctx.action} on ${resource}` +
        `${code === 'AllAccessDisabled' ? ' (all access to this bucket has been disabled)' : ''}. Grant it in the IAM or bucket policy.`, opts);
    case 'PermanentRedirect': case 'AuthorizationHeaderMalformed': case 'IllegalLocationConstraintException':
    case 'MovedPermanently': case 'Redirect':
      return wrongRegion(d, ctx, e, opts);
    case 'InvalidBucketName':
      return new ConfigError(`${d}: "${ctx.bucket}" is not a valid bucket name. Use the bare bucket name (no s3:// or path).`, opts);
    case 'NoSuchUpload':
      return new TransientError(`${d}: the multipart upload was aborted or expired while writing "${ctx.key ?? ''}". Retry the sync.`, opts);
  }
  if (status === 301 || status === 307) return wrongRegion(d, ctx, e, opts);
  if (status === 403) {
    return new ConfigError(`${d}: access denied (HTTP 403): the credentials lack ${ctx.action} on ${resource}, ` +
      'or the keys are wrong. Check the keys and grant the permission.', opts);
  }
  if (NETWORK_CODES.has(code) || TRANSIENT_CODES.has(code) || (status !== undefined && status >= 500) || status === 429) {
    const what = NETWORK_CODES.has(code) ? `cannot reach ${ctx.endpoint ?? `S3 in ${ctx.region}`} (${code})` : `S3 answered ${code}${status ? ` (HTTP ${status})` : ''}`;
    return new TransientError(`${d}: ${ctx.action} on ${where} failed: ${what}. ` +
      `${NETWORK_CODES.has(code) && ctx.endpoint ? 'Check the endpoint URL and the network, then retry.' : 'Retry later.'}`, opts);
  }
  const msg = x.message && x.message !== code ? `: ${x.message}` : '';
  return new SystemError(`${d}: ${ctx.action} on ${where}${ctx.key ? ` (key "${ctx.key}")` : ''} failed with ${code}${status ? ` (HTTP ${status})` : ''}${msg}`, opts);
}

function wrongRegion(d: string, ctx: S3ErrorContext, e: unknown, opts: { internal: string; cause: unknown }): ConfigError {
  const r = redirectRegion(e);
  return new ConfigError(`${d}: bucket "${ctx.bucket}" is not in region ${ctx.region}` +
    `${r && r !== ctx.region ? `: the bucket is in region ${r}. Set the region to ${r}` : '. Set the bucket\'s region'}.`, opts);
}
