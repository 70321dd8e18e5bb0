// Value coercion into column kinds (pure). A value that does not fit its column is nulled, the
// change is recorded in `_airbyte_meta.changes` (NULLED / DESTINATION_TYPECAST_ERROR, or
// DESTINATION_FIELD_SIZE_LIMITATION for an integer beyond INT64), as Airbyte does, and the value
// itself is kept exactly in `_airbyte_unfit_values`.
//
// Normalised values: string → string; int64 → number (safe) or bigint; double → number;
// boolean → boolean; date → days since 1970-01-01; timestamp → µs since epoch (number when safe,
// else bigint: years before 1685 or after 2255 need more than 2^53 µs); json → JSON text (bigints exact).
import type { AirbyteRecordMessage, AirbyteRecordMessageMetaChange } from '@cio-dw/common';
import { hasUnsafeNumber, JsonNumberText, toJsonText } from '@cio-dw/common';
import type { Column, ColumnKind, Layout } from './columns.js';

export const FAIL: unique symbol = Symbol('typecast-failure');
/** The value is a number JSON.parse may have rounded (beyond 2^53): re-read the record exactly. */
export const ROUNDED: unique symbol = Symbol('maybe-rounded');
/** An integer beyond INT64, or a number beyond double range: it cannot fit its column. */
export const TOO_BIG: unique symbol = Symbol('beyond-int64');
const UNSAFE = 2 ** 53;
const unsafe = (n: number): boolean => n >= UNSAFE || n <= -UNSAFE;
export type Coerced = string | number | bigint | boolean | null | typeof FAIL | typeof TOO_BIG;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const TS_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function bigintOrNumber(b: bigint): number | bigint | typeof TOO_BIG {
  if (b < INT64_MIN || b > INT64_MAX) return TOO_BIG;
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The common shape `YYYY-MM-DDTHH:MM:SS[.f…]Z|±HH:MM` parsed by hand (no regex, no Date): about 10×
 * faster. Returns undefined for anything else, which then takes the general path.
 */
function fastTimestampMicros(s: string): number | bigint | typeof FAIL | undefined {
  const len = s.length;
  if (len < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 ||
      s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const y = digits(s, 0, 4); const mo = digits(s, 5, 2); const d = digits(s, 8, 2);
  const h = digits(s, 11, 2); const mi = digits(s, 14, 2); const sec = digits(s, 17, 2);
  if (y < 1000 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0 || sec === 60) return undefined;
  let i = 19;
  let micros = 0;
  if (s.charCodeAt(i) === 46) {
    i++;
    const from = i;
    while (i < len && i - from < 9) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      if (i - from < 6) micros = micros * 10 + c;
      i++;
    }
    const n = i - from;
    if (n === 0) return undefined;
    for (let k = n; k < 6; k++) micros *= 10;
  }
  let offsetMin = 0;
  const z = s.charCodeAt(i);
  if (z === 90 && i + 1 === len) { /* UTC */ } else if ((z === 43 || z === 45) && i + 6 === len && s.charCodeAt(i + 3) === 58) {
    const oh = digits(s, i + 1, 2); const om = digits(s, i + 4, 2);
    if (oh < 0 || om < 0) return undefined;
    offsetMin = (z === 45 ? -1 : 1) * (oh * 60 + om);
  } else {
    return undefined;
  }
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || sec > 60) return FAIL;
  const ms = ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60_000 + sec * 1000;
  return microsOf(ms - offsetMin * 60_000, micros);
}

/** ms·1000 + µs, exactly: a number when safe, else a bigint. */
function microsOf(ms: number, micros: number): number | bigint {
  const v = ms * 1000 + micros;
  return Number.isSafeInteger(v) ? v : BigInt(ms) * 1000n + BigInt(micros);
}

/** µs since epoch of an epoch-ms time (emitted_at), exactly. */
export function microsFromMs(ms: number): number | bigint {
  if (!Number.isInteger(ms)) return Math.round(ms * 1000);
  return microsOf(ms, 0);
}

/** True for a valid proleptic Gregorian calendar date. */
function validDate(y: number, mo: number, d: number): boolean {
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= MONTH_DAYS[mo - 1]! + (leap ? 1 : 0);
}

/** µs since epoch for an RFC 3339 timestamp (offset optional: UTC), or FAIL. Years 0000–9999. */
export function parseTimestampMicros(s: string): number | bigint | typeof FAIL {
  const fast = fastTimestampMicros(s);
  if (fast !== undefined) return fast;
  const m = TS_RE.exec(s.trim());
  if (!m) return FAIL;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', off] = m;
  // Not Date.UTC: it reads years 0–99 as 1900–1999.
  if (!validDate(Number(y), Number(mo), Number(d)) || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 60) return FAIL;
  const ms = ((daysFromCivil(Number(y), Number(mo), Number(d)) * 24 + Number(h)) * 60 + Number(mi)) * 60_000 + Number(sec) * 1000;
  let offsetMin = 0;
  if (off && off !== 'Z' && off !== 'z') {
    const sign = off.startsWith('-') ? -1 : 1;
    const digits = off.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
  }
  const micros = Number((frac + '000000').slice(0, 6));
  return microsOf(ms - offsetMin * 60_000, micros);
}

export function parseDateDays(s: string): number | typeof FAIL {
  const m = DATE_RE.exec(s.trim());
  if (!m) return FAIL;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return validDate(y, mo, d) ? daysFromCivil(y, mo, d) : FAIL;
}

/**
 * Normalises one value for its column. With `detect`, a number JSON.parse may have rounded (beyond
 * 2^53) in an integer, text or JSON column, a literal beyond double range (Infinity) anywhere, or
 * such a number inside an object, gives ROUNDED instead (DOUBLE columns hold doubles anyway).
 */
export function coerceValue(kind: ColumnKind, v: unknown, detect = false): Coerced | typeof ROUNDED {
  if (v === null || v === undefined) return null;
  if (detect && (typeof v === 'number' ? (kind === 'double' ? !Number.isFinite(v) : unsafe(v)) : typeof v === 'object' && hasUnsafeNumber(v))) return ROUNDED;
  switch (kind) {
    case 'string':
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
      return toJsonText(v);
    case 'int64':
      if (typeof v === 'number') {
        if (!Number.isInteger(v)) return FAIL;
        return Number.isSafeInteger(v) ? v : bigintOrNumber(BigInt(v));
      }
      if (typeof v === 'string' && /^[+-]?\d+$/.test(v.trim())) return bigintOrNumber(BigInt(v.trim()));
      if (typeof v === 'bigint') return bigintOrNumber(v);
      return v instanceof JsonNumberText ? TOO_BIG : FAIL;
    case 'double':
      if (typeof v === 'number') return Number.isFinite(v) ? v : FAIL;
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
      return v instanceof JsonNumberText ? TOO_BIG : FAIL;
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      return FAIL;
    case 'date':
      return typeof v === 'string' ? parseDateDays(v) : FAIL;
    case 'timestamp':
      return typeof v === 'string' ? parseTimestampMicros(v) : FAIL;
    case 'json':
      return toJsonText(v);
  }
}

export interface RowContext {
  rawId: string;
  generationId: number;
  syncId: number;
}

/**
 * Fills `out` (one slot per column) with normalised values for `record`. Returns the number of
 * values nulled because they did not fit their column.
 */
let emptyMetaFor: number | undefined;
let emptyMeta = '';

/** Returned by buildRow (with `detect`) when the record must be re-read exactly; `out` is then incomplete. */
export const REREAD = -1;

export function buildRow(layout: Layout, record: AirbyteRecordMessage, ctx: RowContext, out: Coerced[], detect = false): number {
  const cols = layout.columns;
  const data = record.data;
  let changes: AirbyteRecordMessageMetaChange[] | undefined;
  let unfit: string | undefined; // JSON object text of the values that did not fit
  let metaIndex = -1;
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i] as Column;
    switch (c.source) {
      case 'data': {
        // Own properties only: `constructor` or `__proto__` must not read Object.prototype.
        const value = c.inherited && !Object.hasOwn(data, c.name) ? undefined : data[c.name];
        const v = coerceValue(c.kind, value, detect);
        if (v === ROUNDED) return REREAD;
        if (v === FAIL || v === TOO_BIG) {
          (changes ??= []).push({ field: c.name, change: 'NULLED', reason: v === TOO_BIG ? 'DESTINATION_FIELD_SIZE_LIMITATION' : 'DESTINATION_TYPECAST_ERROR' });
          unfit = `${unfit === undefined ? '{' : `${unfit},`}${JSON.stringify(c.name)}:${toJsonText(value)}`;
          out[i] = null;
        } else {
          out[i] = v;
        }
        break;
      }
      case 'record':
        if (detect && hasUnsafeNumber(data)) return REREAD;
        out[i] = toJsonText(data);
        break;
      case 'raw_id': out[i] = ctx.rawId; break;
      case 'extracted_at': out[i] = microsFromMs(record.emitted_at); break;
      case 'generation_id': out[i] = ctx.generationId; break;
      case 'meta': metaIndex = i; break;
      case 'unfit': out[i] = unfit === undefined ? null : `${unfit}}`; break; // after every data column
    }
  }
  if (metaIndex >= 0) {
    const prior = record.meta?.changes ?? [];
    if (!changes && prior.length === 0) {
      // The usual case: one string per sync id, not one JSON.stringify per record.
      if (ctx.syncId !== emptyMetaFor) { emptyMetaFor = ctx.syncId; emptyMeta = JSON.stringify({ sync_id: ctx.syncId, changes: [] }); }
      out[metaIndex] = emptyMeta;
    } else {
      const all = changes ? [...prior, ...changes] : prior;
      out[metaIndex] = JSON.stringify({ sync_id: ctx.syncId, changes: all });
    }
  }
  return changes?.length ?? 0;
}

/** Text forms shared by CSV and JSONL. */
export function timestampText(micros: number | bigint): string {
  let ms: number;
  let us: number;
  if (typeof micros === 'bigint') {
    const q = micros / 1000n;
    const r = Number(micros - q * 1000n);
    ms = Number(r < 0 ? q - 1n : q);
    us = r < 0 ? r + 1000 : r;
  } else {
    ms = Math.floor(micros / 1000);
    us = micros - ms * 1000;
  }
  const iso = new Date(ms).toISOString(); // 2024-01-02T03:04:05.678Z
  return us === 0 ? iso : `${iso.slice(0, -1)}${String(us).padStart(3, '0')}Z`;
}
export function dateText(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}
