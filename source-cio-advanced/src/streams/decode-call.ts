// Pure: one spool line → the row to emit, or the reason it cannot be emitted (the read quarantines
// such a call with a warning and moves on: a spool may hold anything an older collector accepted,
// or what someone put there by hand).
import { isCallType } from '../calls/call.js';
import type { SpooledCall } from '../calls/call.js';
import { protectBigInts } from '../calls/big-ints.js';
import { deeperThan } from '../calls/depth.js';
import { callToRow } from '../calls/row.js';

/**
 * Deepest nesting a read emits. Above the collector's limit for new calls (64), so calls accepted
 * before that limit existed still flow, and far below what recursive code downstream (JSON
 * serialisation of the record) survives.
 */
export const MAX_READ_DEPTH = 1000;

export type Decoded = { row: Record<string, unknown>; messageId: string } | { error: string; messageId?: string };

export function decodeCall(line: string): Decoded {
  let v: unknown;
  try {
    // Integers beyond 2^53 become exact decimal strings (a JSON number would be rounded).
    v = JSON.parse(protectBigInts(line, ''));
  } catch (e) {
    return { error: `not JSON (${(e as Error).message})` };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { error: 'not a JSON object' };
  const c = v as Partial<SpooledCall>;
  const messageId = typeof c.messageId === 'string' && c.messageId.length > 0 ? c.messageId : undefined;
  const ref = messageId !== undefined ? { messageId } : {};
  if (!isCallType(c.type)) return { error: `unknown type ${JSON.stringify(c.type)?.slice(0, 40)}`, ...ref };
  if (messageId === undefined) return { error: 'no messageId' };
  if (deeperThan(v, MAX_READ_DEPTH)) return { error: `nested deeper than ${MAX_READ_DEPTH} levels`, messageId };
  try {
    return { row: callToRow(c as SpooledCall), messageId };
  } catch (e) {
    return { error: `cannot be turned into a row (${(e as Error).message})`, messageId };
  }
}
