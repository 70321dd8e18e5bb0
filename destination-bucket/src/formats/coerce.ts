// Value coercion into column kinds (pure). A value that does not fit its column is nulled and the
// change is recorded in `_airbyte_meta.changes` (NULLED / DESTINATION_TYPECAST_ERROR), as Airbyte does.
//
// Normalised values: string → string; int64 → number (safe) or bigint; double → number;
// boolean → boolean; date → days since 1970-01-01; timestamp → µs since epoch (number);
// json → JSON text.
import type { AirbyteRecordMessage, AirbyteRecordMessageMetaChange } from '@cio-dw/common';
import type { Column, ColumnKind, Layout } from './columns.js';

export const FAIL: unique symbol = Symbol('typecast-failure');
export type Coerced = string | number | bigint | boolean | null | typeof FAIL;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const TS_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function bigintOrNumber(b: bigint): number | bigint | typeof FAIL {
  if (b < INT64_MIN || b > INT64_MAX) return FAIL;
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

/** µs since epoch for an RFC 3339 timestamp (offset optional: UTC), or FAIL. */
export function parseTimestampMicros(s: string): number | typeof FAIL {
  const m = TS_RE.exec(s.trim());
  if (!m) return FAIL;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', off] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  const check = new Date(ms);
  if (Number.isNaN(ms) || check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 ||
      Number(h) > 23 || Number(mi) > 59 || Number(sec) > 60) return FAIL;
  let offsetMin = 0;
  if (off && off !== 'Z' && off !== 'z') {
    const sign = off.startsWith('-') ? -1 : 1;
    const digits = off.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
  }
  const micros = Number((frac + '000000').slice(0, 6));
  return (ms - offsetMin * 60_000) * 1000 + micros;
}

export function parseDateDays(s: string): number | typeof FAIL {
  const m = DATE_RE.exec(s.trim());
  if (!m) return FAIL;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).getUTCDate() !== Number(m[3]) || new Date(ms).getUTCMonth() !== Number(m[2]) - 1) return FAIL;
  return ms / DAY_MS;
}

export function coerceValue(kind: ColumnKind, v: unknown): Coerced {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'string':
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
      return JSON.stringify(v);
    case 'int64':
      if (typeof v === 'number') {
        if (!Number.isInteger(v)) return FAIL;
        return Number.isSafeInteger(v) ? v : bigintOrNumber(BigInt(v));
      }
      if (typeof v === 'string' && /^[+-]?\d{1,20}$/.test(v.trim())) return bigintOrNumber(BigInt(v.trim()));
      if (typeof v === 'bigint') return bigintOrNumber(v);
      return FAIL;
    case 'double':
      if (typeof v === 'number') return Number.isFinite(v) ? v : FAIL;
      if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
      return FAIL;
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      return FAIL;
    case 'date':
      return typeof v === 'string' ? parseDateDays(v) : FAIL;
    case 'timestamp':
      return typeof v === 'string' ? parseTimestampMicros(v) : FAIL;
    case 'json':
      return JSON.stringify(v);
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
export function buildRow(layout: Layout, record: AirbyteRecordMessage, ctx: RowContext, out: Coerced[]): number {
  const cols = layout.columns;
  const data = record.data;
  let changes: AirbyteRecordMessageMetaChange[] | undefined;
  let metaIndex = -1;
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i] as Column;
    switch (c.source) {
      case 'data': {
        const v = coerceValue(c.kind, data[c.name]);
        if (v === FAIL) {
          (changes ??= []).push({ field: c.name, change: 'NULLED', reason: 'DESTINATION_TYPECAST_ERROR' });
          out[i] = null;
        } else {
          out[i] = v;
        }
        break;
      }
      case 'record': out[i] = JSON.stringify(data); break;
      case 'raw_id': out[i] = ctx.rawId; break;
      case 'extracted_at': out[i] = Math.round(record.emitted_at * 1000); break;
      case 'generation_id': out[i] = ctx.generationId; break;
      case 'meta': metaIndex = i; break;
    }
  }
  if (metaIndex >= 0) {
    const prior = record.meta?.changes ?? [];
    const all = changes ? [...prior, ...changes] : prior;
    out[metaIndex] = JSON.stringify({ sync_id: ctx.syncId, changes: all });
  }
  return changes?.length ?? 0;
}

/** Text forms shared by CSV and JSONL. */
export function timestampText(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const us = micros - ms * 1000;
  const iso = new Date(ms).toISOString(); // 2024-01-02T03:04:05.678Z
  return us === 0 ? iso : `${iso.slice(0, -1)}${String(us).padStart(3, '0')}Z`;
}
export function dateText(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}
