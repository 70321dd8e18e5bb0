// Pure: a request body → the spool lines of its calls, and the calls refused (CallError naming the
// call and field). One bad call never costs the others of its batch: the good ones are stored and
// the answer names the bad ones. Permissive mode (default, as Customer.io's API) stores a call that
// fails the source spec, flagged; strict mode (`X-Strict-Mode: 1`) refuses it with 400.
import { createHash } from 'node:crypto';
import type { CallType, SpooledCall } from '../calls/call.js';
import { protectBigInts, restoreBigInts } from '../calls/big-ints.js';
import { parseIsoTime } from '../calls/time.js';
import { CallError, validateCall, withBatchDefaults } from '../calls/validate.js';
import type { Stamp } from '../calls/validate.js';

export interface Limits { max_call_bytes: number; max_batch_bytes: number; max_webhook_bytes: number; max_webhook_events: number }

export interface IngestOptions { strict: boolean; limits: Limits }

export interface Ingested {
  /** Spool lines (one JSON call each) to store. */
  lines: string[];
  /** Calls refused, in order, each naming the call. */
  rejected: CallError[];
  /** Stored calls that failed the source spec (permissive mode; flagged in the spool). */
  invalid: number;
}

/** Tags unsafe integers between parsing and serialising (see big-ints.ts); unique per process. */
const TAG = `\u0000int-${createHash('sha256').update(String(Math.random()) + process.pid).digest('hex').slice(0, 12)}:`;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses a body (integers beyond 2^53 kept exactly), or a 400 naming it. */
export function parseBody(body: Buffer, what = 'body'): unknown {
  try {
    return JSON.parse(protectBigInts(body.toString('utf8'), TAG));
  } catch (e) {
    throw new CallError(400, `${what}: invalid JSON (${(e as Error).message})`);
  }
}

const serialise = (v: unknown) => restoreBigInts(JSON.stringify(v), TAG);

function ingestOne(out: Ingested, raw: unknown, endpointType: CallType | undefined, stamp: Stamp, where: string, o: IngestOptions, merged = raw): void {
  try {
    const { call, problems } = validateCall(merged, endpointType, stamp, where ? `${where}.` : '');
    if (problems.length && o.strict) throw new CallError(400, `${problems.join('; ')} (strict mode)`);
    if (endpointType === undefined) { // the call as sent (before batch defaults, receivedAt and messageId) against the per-call limit
      const n = Buffer.byteLength(serialise(raw));
      if (n > o.limits.max_call_bytes) {
        throw new CallError(413, `${where || 'event'}: call is ${n} bytes; the limit is ${o.limits.max_call_bytes} bytes (${Math.round(o.limits.max_call_bytes / 1024)} KB) per call`);
      }
    }
    out.lines.push(serialise(call));
    if (problems.length) out.invalid++;
  } catch (e) {
    if (!(e instanceof CallError)) throw e;
    out.rejected.push(e);
  }
}

const empty = (): Ingested => ({ lines: [], rejected: [], invalid: 0 });

/** A single-call endpoint (the body is within max_call_bytes already). */
export function singleCall(body: unknown, type: CallType, stamp: Stamp, o: IngestOptions): Ingested {
  const out = empty();
  const raw = isObject(body) && body.writeKey !== undefined ? withoutWriteKey(body) : body;
  ingestOne(out, raw, type, stamp, '', o);
  return out;
}

/** `/v1/batch`: `{"batch":[…], "context"?, "integrations"?, "sentAt"?}`. */
export function batchCalls(body: unknown, stamp: Stamp, o: IngestOptions): Ingested {
  if (!isObject(body)) throw new CallError(400, 'body: a batch must be a JSON object with a "batch" array');
  if (!Array.isArray(body.batch)) throw new CallError(400, 'batch: missing; expected an array of calls');
  if (body.batch.length === 0) throw new CallError(400, 'batch: empty; send at least one call');
  for (const f of ['context', 'integrations'] as const) {
    if (body[f] !== undefined && body[f] !== null && !isObject(body[f])) throw new CallError(400, `${f}: must be a JSON object`);
  }
  if (body.sentAt !== undefined && body.sentAt !== null && !isIsoString(body.sentAt)) {
    throw new CallError(400, `sentAt: ${JSON.stringify(body.sentAt)} is not an ISO-8601 date-time string`);
  }
  const s: Stamp = typeof body.sentAt === 'string' ? { ...stamp, batchSentAt: body.sentAt } : stamp;
  const out = empty();
  body.batch.forEach((item, i) => {
    const raw = isObject(item) && item.writeKey !== undefined ? withoutWriteKey(item) : item;
    ingestOne(out, raw, undefined, s, `batch[${i}]`, o, withBatchDefaults(raw, body));
  });
  return out;
}

/**
 * The webhook endpoint: one event object, a JSON array of events, or `{"batch":[…]}`. An event
 * without messageId gets one derived from the signed body and its position, so a replay of the
 * same delivery is recognised as a duplicate.
 */
export function webhookCalls(body: unknown, bodyBytes: Buffer, stamp: Stamp, o: IngestOptions): Ingested {
  const events: unknown[] = Array.isArray(body) ? body
    : isObject(body) && Array.isArray(body.batch) ? body.batch
      : [body];
  if (events.length === 0) throw new CallError(400, 'body: empty array; send at least one event');
  if (events.length > o.limits.max_webhook_events) {
    throw new CallError(413, `body: ${events.length} events; the limit is ${o.limits.max_webhook_events} events per request`);
  }
  const digest = createHash('sha256').update(bodyBytes).digest('hex');
  const single = !Array.isArray(body) && events.length === 1 && events[0] === body;
  const out = empty();
  events.forEach((e, i) => {
    const s: Stamp = { ...stamp, keepReceivedAt: true, newId: () => stableId(digest, i) };
    ingestOne(out, e, undefined, s, single ? '' : `[${i}]`, o);
  });
  return out;
}

/** A UUID-shaped id from the body's digest and the event's position (same delivery → same id). */
export function stableId(bodyDigestHex: string, index: number): string {
  const h = createHash('sha256').update(`${bodyDigestHex}:${index}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function withoutWriteKey(o: Record<string, unknown>): Record<string, unknown> {
  const { writeKey: _w, ...rest } = o;
  return rest;
}

function isIsoString(v: unknown): boolean {
  return parseIsoTime(v) !== undefined;
}

export type { SpooledCall };
