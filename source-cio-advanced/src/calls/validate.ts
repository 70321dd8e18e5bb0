// Validation of incoming calls: pure, returns the problem naming the field, or the call to spool.
import { HttpError } from '@cio-dw/common';
import type { CallType, SpooledCall } from './call.js';
import { CALL_TYPES, isCallType } from './call.js';

/** A call the collector refuses: 400 (invalid, naming the field) or 413 (too large). */
export class CallError extends HttpError {
  constructor(status: 400 | 413, message: string) { super(status, message); }
}

export interface Stamp {
  /** ISO time the collector received the request. */
  receivedAt: string;
  newId: () => string;
  /** Keep a valid receivedAt already on the call (webhook-forwarded calls were received by Customer.io). */
  keepReceivedAt?: boolean;
}

const OBJECT_FIELDS = ['traits', 'properties', 'context', 'integrations'] as const;
const TIME_FIELDS = ['timestamp', 'sentAt', 'originalTimestamp'] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function present(v: unknown): boolean {
  return (typeof v === 'string' && v.length > 0) || (typeof v === 'number' && Number.isFinite(v));
}
function isTime(v: unknown): boolean {
  return typeof v === 'string' && !Number.isNaN(Date.parse(v));
}

/**
 * Checks one call and returns it ready for the spool: `type` set (from the endpoint when given),
 * `messageId` generated if absent, `receivedAt` stamped. Throws CallError naming the field.
 * `where` prefixes field names, e.g. `batch[3].`.
 */
export function validateCall(raw: unknown, endpointType: CallType | undefined, stamp: Stamp, where = ''): SpooledCall {
  if (!isObject(raw)) throw new CallError(400, `${where || 'body'}: a call must be a JSON object`);
  const type = endpointType ?? raw.type;
  if (type === undefined || type === null) throw new CallError(400, `${where}type: missing; expected one of ${CALL_TYPES.join(', ')}`);
  if (!isCallType(type)) throw new CallError(400, `${where}type: unknown type ${JSON.stringify(type)}; expected one of ${CALL_TYPES.join(', ')}`);
  if (type === 'alias') {
    if (!present(raw.userId)) throw new CallError(400, `${where}userId: missing; an alias call needs userId and previousId`);
    if (!present(raw.previousId)) throw new CallError(400, `${where}previousId: missing; an alias call needs userId and previousId`);
  } else if (!present(raw.userId) && !present(raw.anonymousId)) {
    throw new CallError(400, `${where}userId: missing; a ${type} call needs userId or anonymousId`);
  }
  if (type === 'track' && !(typeof raw.event === 'string' && raw.event.length > 0)) {
    throw new CallError(400, `${where}event: missing; a track call needs an event name`);
  }
  if (type === 'group' && !present(raw.groupId)) throw new CallError(400, `${where}groupId: missing; a group call needs groupId`);
  for (const f of OBJECT_FIELDS) {
    if (raw[f] !== undefined && raw[f] !== null && !isObject(raw[f])) throw new CallError(400, `${where}${f}: must be a JSON object`);
  }
  for (const f of TIME_FIELDS) {
    if (raw[f] !== undefined && raw[f] !== null && !isTime(raw[f])) throw new CallError(400, `${where}${f}: must be an ISO-8601 date-time string`);
  }
  if (raw.messageId !== undefined && raw.messageId !== null && !(typeof raw.messageId === 'string' && raw.messageId.length > 0)) {
    throw new CallError(400, `${where}messageId: must be a non-empty string`);
  }
  const messageId = typeof raw.messageId === 'string' ? raw.messageId : stamp.newId();
  const receivedAt = stamp.keepReceivedAt && isTime(raw.receivedAt) ? new Date(raw.receivedAt as string).toISOString() : stamp.receivedAt;
  const { type: _t, messageId: _m, receivedAt: _r, ...rest } = raw;
  return { type, messageId, receivedAt, ...rest };
}

/** Applies batch-level context/integrations to a call (the call's own keys win). */
export function withBatchDefaults(call: unknown, batch: Record<string, unknown>): unknown {
  if (!isObject(call)) return call;
  const out: Record<string, unknown> = { ...call };
  for (const f of ['context', 'integrations'] as const) {
    const outer = batch[f];
    if (isObject(outer)) out[f] = isObject(call[f]) ? { ...outer, ...call[f] } : (call[f] ?? outer);
  }
  return out;
}
