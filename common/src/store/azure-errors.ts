// Maps errors thrown by @azure/storage-blob (RestError, or the network under it) to typed connector
// errors with specific, actionable messages. Pure: tested with literal error objects. SAS signatures
// and account keys never reach a message.
import { ConfigError, SystemError, TransientError } from '../errors.js';
import { ObjectExistsError, ObjectNotFoundError } from './object-store.js';

export type AzureAction = 'write' | 'read' | 'list' | 'delete';

export interface AzureErrorContext {
  action: AzureAction;
  account: string;
  container: string;
  /** Relative key (for messages). */
  key?: string;
  /** Root prefix inside the container (for messages). */
  rootPrefix?: string;
  /** Message prefix, 'bucket' by default. */
  domain?: string;
}

/** The fields of a RestError (or a plain Error) that we look at. */
interface RestErrorLike {
  name?: string;
  code?: string;
  message?: string;
  statusCode?: number;
  details?: { errorCode?: string; [k: string]: unknown };
  request?: { requestId?: string };
}

const NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH',
  'EHOSTUNREACH', 'ENETDOWN', 'ENOTFOUND', 'UND_ERR_SOCKET', 'REQUEST_SEND_ERROR',
]);
const TRANSIENT_CODES = new Set(['ServerBusy', 'InternalError', 'OperationTimedOut', 'ServiceUnavailable']);

/** Removes SAS signatures and shared keys from any text (URLs in SDK messages carry the SAS token). */
export function redactAzure(text: string): string {
  return text
    .replace(/([?&]sig=)[^&\s"']*/gi, '$1REDACTED')
    .replace(/(AccountKey=)[^;\s"']*/gi, '$1REDACTED')
    .replace(/(SharedAccessSignature=)[^;\s"']*/gi, '$1REDACTED')
    .replace(/(Authorization:?\s*"?SharedKey [^:\s]+:)[^\s"']*/gi, '$1REDACTED');
}

/** The Azure error code ('BlobAlreadyExists', 'ContainerNotFound', …) or a network errno. */
export function azureErrorCode(e: unknown): string {
  const x = (e ?? {}) as RestErrorLike;
  return x.details?.errorCode ?? x.code ?? x.name ?? 'Error';
}

export function azureHttpStatus(e: unknown): number | undefined {
  return ((e ?? {}) as RestErrorLike).statusCode;
}

const ROLE = {
  write: 'Storage Blob Data Contributor', delete: 'Storage Blob Data Contributor',
  read: 'Storage Blob Data Reader (or Contributor)', list: 'Storage Blob Data Reader (or Contributor)',
} as const;

/**
 * Typed error for an Azure Blob failure. 409/412 on a write → ObjectExistsError; 404 BlobNotFound →
 * ObjectNotFoundError; aborts pass through unchanged.
 */
export function mapAzureError(e: unknown, ctx: AzureErrorContext): Error {
  if ((e as Error | undefined)?.name === 'AbortError') return e as Error;
  if (e instanceof ObjectExistsError || e instanceof ObjectNotFoundError) return e;
  const x = (e ?? {}) as RestErrorLike;
  const d = ctx.domain ?? 'bucket';
  const code = azureErrorCode(e);
  const status = azureHttpStatus(e);
  const where = `container "${ctx.container}" of storage account "${ctx.account}"`;
  const internal = redactAzure(`azure ${ctx.action} ${ctx.container}/${ctx.rootPrefix ?? ''}${ctx.key ?? ''}: ${code} ` +
    `(HTTP ${status ?? '-'}, request ${x.request?.requestId ?? '-'}): ${x.message ?? ''}`);
  const opts = { internal, cause: e };

  if (ctx.action === 'write' && ctx.key !== undefined &&
    (status === 409 || status === 412) && code !== 'ContainerNotFound' && code !== 'ContainerBeingDeleted') {
    return new ObjectExistsError(d, ctx.key, where);
  }
  switch (code) {
    case 'BlobNotFound':
      return new ObjectNotFoundError(d, ctx.key ?? '', where);
    case 'ContainerNotFound':
      return new ConfigError(`${d}: ${where} does not exist. Create the container, or fix the container name.`, opts);
    case 'AuthenticationFailed':
      return new ConfigError(`${d}: Azure rejected the credentials for storage account "${ctx.account}" (AuthenticationFailed). ` +
        'Check the account name and key, the connection string, or that the SAS token is complete and not expired.', opts);
    case 'AuthorizationFailure': case 'AuthorizationPermissionMismatch': case 'AuthorizationResourceTypeMismatch':
    case 'AuthorizationServiceMismatch': case 'AuthorizationProtocolMismatch': case 'AuthorizationSourceIPMismatch':
      return new ConfigError(`${d}: access denied to ${where} (${code}): the credentials may not ${ctx.action} blobs. ` +
        `Grant the "${ROLE[ctx.action]}" role on the container, or a SAS token with read, add, create, write, delete and list permissions.`, opts);
    case 'InvalidResourceName': case 'OutOfRangeInput':
      return new ConfigError(`${d}: "${ctx.container}" is not a valid container name (${code}). Use 3–63 lowercase letters, digits and hyphens.`, opts);
    case 'AccountIsDisabled':
      return new ConfigError(`${d}: the storage account "${ctx.account}" is disabled. Enable it in the Azure portal.`, opts);
  }
  if (status === 404 && ctx.key !== undefined && (ctx.action === 'read' || ctx.action === 'delete')) {
    return new ObjectNotFoundError(d, ctx.key, where);
  }
  if (status === 403) {
    return new ConfigError(`${d}: access denied to ${where} (HTTP 403 ${code}). Check the credentials and grant ` +
      `the "${ROLE[ctx.action]}" role on the container.`, opts);
  }
  if (NETWORK_CODES.has(code) || TRANSIENT_CODES.has(code) || (status !== undefined && status >= 500) || status === 429) {
    const what = NETWORK_CODES.has(code) ? `cannot reach the storage account "${ctx.account}" (${code})` : `Azure answered ${code}${status ? ` (HTTP ${status})` : ''}`;
    return new TransientError(`${d}: ${ctx.action} in ${where} failed: ${what}. ` +
      `${NETWORK_CODES.has(code) ? 'Check the endpoint and the network, then retry.' : 'Retry later.'}`, opts);
  }
  const msg = x.message && x.message !== code ? `: ${redactAzure(x.message.split('\n')[0] ?? '')}` : '';
  return new SystemError(`${d}: ${ctx.action} in ${where}${ctx.key ? ` (key "${ctx.key}")` : ''} failed with ${code}` +
    `${status ? ` (HTTP ${status})` : ''}${msg}`, opts);
}
