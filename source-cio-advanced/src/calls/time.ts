// Pure: ISO-8601 date-times as the Segment / Customer.io spec defines them, and the corrected
// timestamp. A date-time without an offset is UTC (never the reader's time zone); anything that is
// not ISO-8601 ("1", "Jan 2 2024") is not a time.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Epoch ms of an ISO-8601 date or date-time string (offset-less = UTC), or undefined. */
export function parseIsoTime(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = ISO.exec(v.trim());
  if (!m) return undefined;
  const [y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m.slice(1) as string[];
  const Y = Number(y), M = Number(mo), D = Number(d), H = Number(h), MI = Number(mi), S = Number(s);
  if (M < 1 || M > 12 || D < 1 || H > 23 || MI > 59 || S > 60) return undefined;
  const ms = Number(`${(frac ?? '').padEnd(3, '0').slice(0, 3)}` || '0');
  const date = new Date(Date.UTC(Y, M - 1, D, H, MI, Math.min(S, 59), ms));
  date.setUTCFullYear(Y); // Date.UTC maps years 0-99 to 1900-1999
  if (date.getUTCDate() !== D || date.getUTCMonth() !== M - 1) return undefined; // e.g. 2024-02-30
  let offsetMin = 0;
  if (zone && zone !== 'Z' && zone !== 'z') {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
    const oh = Number(z[2]), om = Number(z[3] ?? '0');
    if (oh > 23 || om > 59) return undefined;
    offsetMin = (z[1] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return date.getTime() - offsetMin * 60_000;
}

/** The ISO string (UTC, ms) of an ISO-8601 input, or null. */
export function isoTime(v: unknown): string | null {
  const t = parseIsoTime(v);
  return t === undefined || !Number.isFinite(t) ? null : new Date(t).toISOString();
}

export interface CallTimes { received_at: string | null; sent_at: string | null; original_timestamp: string | null; timestamp: string | null }

/**
 * Segment / Customer.io timestamps: `original_timestamp` is the client's time (the call's
 * `originalTimestamp`, else its `timestamp`); `sent_at` the call's `sentAt`, else the batch's;
 * `timestamp` corrected for the client's clock: receivedAt − (sentAt − originalTimestamp) when
 * both exist, else the client's time, else receivedAt.
 */
export function callTimes(c: { receivedAt?: unknown; sentAt?: unknown; timestamp?: unknown; originalTimestamp?: unknown }, batchSentAt?: unknown): CallTimes {
  const received = parseIsoTime(c.receivedAt);
  const sent = parseIsoTime(c.sentAt) ?? parseIsoTime(batchSentAt);
  const original = parseIsoTime(c.originalTimestamp) ?? parseIsoTime(c.timestamp);
  const iso = (t: number | undefined) => (t === undefined || !Number.isFinite(t) ? null : new Date(t).toISOString());
  let ts = original ?? received;
  if (received !== undefined && sent !== undefined && original !== undefined) ts = received - (sent - original);
  return { received_at: iso(received), sent_at: iso(sent), original_timestamp: iso(original), timestamp: iso(ts) };
}
