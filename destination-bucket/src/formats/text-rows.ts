// Rows → CSV (RFC 4180) and JSONL text (pure). Values are the normalised forms from coerce.ts.
import type { Column } from './columns.js';
import { dateText, timestampText, type Coerced } from './coerce.js';

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field: quoted when it holds a quote, comma or line break; quotes doubled. */
export function csvField(s: string): string {
  return NEEDS_QUOTES.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvHeader(columns: readonly Column[]): string {
  return columns.map((c) => csvField(c.name)).join(',') + '\r\n';
}

/** One CSV record (CRLF-terminated). NULL is an empty unquoted field; an empty string is `""`. */
export function csvRow(columns: readonly Column[], values: readonly Coerced[]): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) line += ',';
    const v = values[i];
    if (v === null || v === undefined || typeof v === 'symbol') continue;
    switch ((columns[i] as Column).kind) {
      case 'timestamp': line += timestampText(v as number | bigint); break;
      case 'date': line += dateText(v as number); break;
      case 'boolean': line += v ? 'true' : 'false'; break;
      case 'int64': case 'double': line += String(v); break;
      default: line += csvField(v as string);
    }
  }
  return line + '\r\n';
}

/** Pre-rendered `"name":` prefixes for JSONL lines. */
export function jsonlKeys(columns: readonly Column[]): string[] {
  return columns.map((c, i) => `${i === 0 ? '{' : ','}${JSON.stringify(c.name)}:`);
}

/** One JSONL line: JSON columns are embedded as JSON values (objects stay objects). */
export function jsonlRow(columns: readonly Column[], keys: readonly string[], values: readonly Coerced[]): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    line += keys[i];
    const v = values[i];
    if (v === null || v === undefined || typeof v === 'symbol') { line += 'null'; continue; }
    switch ((columns[i] as Column).kind) {
      case 'timestamp': line += `"${timestampText(v as number | bigint)}"`; break;
      case 'date': line += `"${dateText(v as number)}"`; break;
      case 'json': line += v as string; break;
      case 'string': line += JSON.stringify(v); break;
      default: line += String(v);
    }
  }
  return columns.length ? `${line}}\n` : '{}\n';
}
