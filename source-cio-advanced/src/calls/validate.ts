// Validation of incoming calls (pure). Two kinds of problem:
// - malformed: the collector cannot store the call faithfully (not an object, no or unknown type,
//   an id that is an object, a non-object traits, a time that is not ISO-8601, nesting too deep):
//   CallError (400) naming the call and field, in every mode;
// - against the source spec (Customer.io docs, source-spec pages: identify/track/page/screen need
//   userId or anonymousId, track needs event, alias userId and previousId, group groupId; a group
//   call needs no user): returned as `problems`. Permissive mode stores the call flagged with them;
//   strict mode (`X-Strict-Mode: 1`) refuses it with 400.
import { HttpError } from '@cio-dw/common';
import type { CallType, SpooledCall } from './call.js';
import { CALL_TYPES, isCallType } from './call.js';
import { deeperThan, MAX_CALL_DEPTH } from './depth.js';
import { parseIsoTime } from './time.js';

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
  /** Names the write key (or webhook) the call came with, never the secret. */
  source?: string;
  /** The batch envelope's `sentAt`, when the call came in a batch that has one. */
  batchSentAt?: string;
}

/** What the collector adds to a spooled call under `_collector` (the client's own `_collector` is replaced). */
export interface CollectorMeta { source?: string; batchSentAt?: string; invalid?: string }

export interface CheckedCall { call: SpooledCall; problems: string[] }

const OBJECT_FIELDS = ['traits', 'properties', 'context', 'integrations'] as const;
const TIME_FIELDS = ['timestamp', 'sentAt', 'originalTimestamp'] as const;
const ID_FIELDS = ['userId', 'anonymousId', 'previousId', 'groupId'] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function present(v: unknown): boolean {
  return (typeof v === 'string' && v.length > 0) || (typeof v === 'number' && Number.isFinite(v));
}
const absent = (v: unknown) => v === undefined || v === null;

/** The source-spec problems of a well-formed call (empty when valid). */
export function specProblems(type: CallType, raw: Record<string, unknown>): string[] {
  const p: string[] = [];
  if (type === 'alias') {
    if (!present(raw.userId)) p.push('userId: missing; an alias call needs userId and previousId');
    if (!present(raw.previousId)) p.push('previousId: missing; an alias call needs userId and previousId');
  } else if (type === 'group') {
    if (!present(raw.groupId)) p.push('groupId: missing; a group call needs groupId');
  } else if (!present(raw.userId) && !present(raw.anonymousId)) {
    p.push(`userId: missing; a ${type} call needs userId or anonymousId`);
  }
  if (type === 'track' && !(typeof raw.event === 'string' && raw.event.length > 0)) p.push('event: missing; a track call needs an event name');
  return p;
}

/**
 * Checks one call and returns it ready for the spool: `type` set (from the endpoint when given),
 * `messageId` generated if absent, `receivedAt` stamped, `_collector` added. Throws CallError for
 * a malformed call; returns the spec problems otherwise. `where` prefixes field names, e.g. `batch[3].`.
 */
export function validateCall(raw: unknown, endpointType: CallType | undefined, stamp: Stamp, where = ''): CheckedCall {
  const whole = where ? where.replace(/\.$/, '') : 'body';
  if (!isObject(raw)) throw new CallError(400, `${whole}: a call must be a JSON object`);
  if (deeperThan(raw, MAX_CALL_DEPTH)) throw new CallError(400, `${whole}: nested deeper than ${MAX_CALL_DEPTH} levels (the limit for one call)`);
  const type = endpointType ?? raw.type;
  if (absent(type)) throw new CallError(400, `${where}type: missing; expected one of ${CALL_TYPES.join(', ')}`);
  if (!isCallType(type)) throw new CallError(400, `${where}type: unknown type ${JSON.stringify(type)}; expected one of ${CALL_TYPES.join(', ')}`);
  for (const f of ID_FIELDS) {
    const v = raw[f];
    if (!absent(v) && typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) {
      throw new CallError(400, `${where}${f}: must be a string (got ${Array.isArray(v) ? 'an array' : typeof v})`);
    }
  }
  if (!absent(raw.event) && typeof raw.event !== 'string') throw new CallError(400, `${where}event: must be a string`);
  for (const f of OBJECT_FIELDS) {
    if (!absent(raw[f]) && !isObject(raw[f])) throw new CallError(400, `${where}${f}: must be a JSON object`);
  }
  for (const f of TIME_FIELDS) {
    if (!absent(raw[f]) && parseIsoTime(raw[f]) === undefined) {
      throw new CallError(400, `${where}${f}: ${JSON.stringify(raw[f])} is not an ISO-8601 date-time string (e.g. 2024-01-02T03:04:05Z)`);
    }
  }
  if (!absent(raw.messageId) && !(typeof raw.messageId === 'string' && raw.messageId.length > 0)) {
    throw new CallError(400, `${where}messageId: must be a non-empty string`);
  }
  const spec = specProblems(type, raw);
  const messageId = typeof raw.messageId === 'string' ? raw.messageId : stamp.newId();
  const own = parseIsoTime(raw.receivedAt);
  const receivedAt = stamp.keepReceivedAt && own !== undefined ? new Date(own).toISOString() : stamp.receivedAt;
  const { type: _t, messageId: _m, receivedAt: _r, _collector: _c, ...rest } = raw;
  const meta: CollectorMeta = {};
  if (stamp.source !== undefined) meta.source = stamp.source;
  if (stamp.batchSentAt !== undefined && absent(raw.sentAt)) meta.batchSentAt = stamp.batchSentAt;
  if (spec.length) meta.invalid = spec.join('; ');
  return { call: { type, messageId, receivedAt, ...rest, _collector: meta }, problems: spec.map((p) => where + p) };
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
