// Pure: a parsed request body → the calls to spool, or a CallError (400/413) naming the field.
import type { CallType, SpooledCall } from '../calls/call.js';
import { CallError, validateCall, withBatchDefaults } from '../calls/validate.js';
import type { Stamp } from '../calls/validate.js';

export interface Limits { max_call_bytes: number; max_batch_bytes: number; max_webhook_bytes: number; max_webhook_events: number }

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkSize(line: string, limit: number, where: string): void {
  const n = Buffer.byteLength(line);
  if (n > limit) throw new CallError(413, `${where}: call is ${n} bytes; the limit is ${limit} bytes (${Math.round(limit / 1024)} KB) per call`);
}

/** Lines (one JSON call each) for a single-call endpoint. */
export function singleCall(body: unknown, type: CallType, stamp: Stamp): string[] {
  const call = validateCall(body, type, stamp);
  return [JSON.stringify(call)];
}

/** Lines for `/v1/batch`: `{"batch":[…], "context"?, "integrations"?}`. All or nothing. */
export function batchCalls(body: unknown, stamp: Stamp, limits: Limits): string[] {
  if (!isObject(body)) throw new CallError(400, 'body: a batch must be a JSON object with a "batch" array');
  if (!Array.isArray(body.batch)) throw new CallError(400, 'batch: missing; expected an array of calls');
  if (body.batch.length === 0) throw new CallError(400, 'batch: empty; send at least one call');
  for (const f of ['context', 'integrations'] as const) {
    if (body[f] !== undefined && body[f] !== null && !isObject(body[f])) throw new CallError(400, `${f}: must be a JSON object`);
  }
  return body.batch.map((item, i) => {
    const where = `batch[${i}]`;
    const line = JSON.stringify(validateCall(withBatchDefaults(item, body), undefined, stamp, `${where}.`));
    checkSize(line, limits.max_call_bytes, where);
    return line;
  });
}

/** Lines for the webhook endpoint: one event object, a JSON array of events, or `{"batch":[…]}`. */
export function webhookCalls(body: unknown, stamp: Stamp, limits: Limits): string[] {
  const events: unknown[] = Array.isArray(body) ? body
    : isObject(body) && Array.isArray(body.batch) ? body.batch
      : [body];
  if (events.length === 0) throw new CallError(400, 'body: empty array; send at least one event');
  if (events.length > limits.max_webhook_events) {
    throw new CallError(413, `body: ${events.length} events; the limit is ${limits.max_webhook_events} events per request`);
  }
  const keep = { ...stamp, keepReceivedAt: true };
  const single = !Array.isArray(body) && events.length === 1 && events[0] === body;
  return events.map((e, i) => {
    const where = single ? 'event' : `[${i}]`;
    const line = JSON.stringify(validateCall(e, undefined, keep, single ? '' : `${where}.`));
    checkSize(line, limits.max_call_bytes, where);
    return line;
  });
}

export type { SpooledCall };
