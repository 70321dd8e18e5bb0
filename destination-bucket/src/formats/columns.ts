// Stream JSON schema → typed columns (pure). Top-level properties become columns; nested objects,
// arrays, unions and schemaless values become JSON text. Airbyte metadata columns come last.
import { createHash } from 'node:crypto';

export type ColumnKind = 'string' | 'int64' | 'double' | 'boolean' | 'date' | 'timestamp' | 'json';

export interface Column {
  name: string;
  kind: ColumnKind;
  /** Where the value comes from: a top-level data field, the whole record, or Airbyte metadata. */
  source: 'data' | 'record' | 'raw_id' | 'extracted_at' | 'generation_id' | 'meta' | 'unfit';
  /** The name is also a property of every object (`constructor`, `__proto__`, …): look it up as an own property. */
  inherited?: boolean;
}

export interface Layout {
  columns: Column[];
  /** sha256 (hex, 16 chars) of the column names and kinds; changes whenever the file schema changes. */
  fingerprint: string;
}

export const AIRBYTE_COLUMNS: readonly Column[] = [
  { name: '_airbyte_raw_id', kind: 'string', source: 'raw_id' },
  { name: '_airbyte_extracted_at', kind: 'timestamp', source: 'extracted_at' },
  { name: '_airbyte_generation_id', kind: 'int64', source: 'generation_id' },
  { name: '_airbyte_meta', kind: 'json', source: 'meta' },
];
/** Column holding the whole record when a stream's schema declares no properties. */
export const DATA_COLUMN = '_airbyte_data';
/**
 * JSON object of the values that did not fit their typed column (an integer beyond INT64, text in a
 * number column…), exactly as sent, keyed by field; NULL when every value fit. Those columns hold
 * NULL with an `_airbyte_meta` change, so the value is never lost. Present, after the Airbyte
 * columns, in streams with a column that can refuse a value.
 */
export const UNFIT_COLUMN: Column = { name: '_airbyte_unfit_values', kind: 'json', source: 'unfit' };
const FALLIBLE: ReadonlySet<ColumnKind> = new Set(['int64', 'double', 'boolean', 'date', 'timestamp']);

type Schema = Record<string, unknown>;

function types(s: Schema): string[] {
  const t = s.type;
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return [];
}

/** The column kind for one property schema. */
export function kindOf(schema: unknown): ColumnKind {
  if (typeof schema !== 'object' || schema === null) return 'json';
  const s = schema as Schema;
  if (Array.isArray(s.oneOf) || Array.isArray(s.anyOf)) {
    const variants = ((s.oneOf ?? s.anyOf) as unknown[]).filter((v) => !(typeof v === 'object' && v !== null && types(v as Schema).join() === 'null'));
    return variants.length === 1 ? kindOf(variants[0]) : 'json';
  }
  const t = types(s).filter((x) => x !== 'null');
  if (t.length === 2 && t.includes('integer') && t.includes('number')) return 'double';
  if (t.length !== 1) return 'json';
  const airbyteType = s.airbyte_type;
  switch (t[0]) {
    case 'string':
      if (s.format === 'date') return 'date';
      if (s.format === 'date-time' || airbyteType === 'timestamp_with_timezone') {
        return airbyteType === 'timestamp_without_timezone' ? 'string' : 'timestamp';
      }
      return 'string';
    case 'integer': return 'int64';
    case 'number': return airbyteType === 'integer' ? 'int64' : 'double';
    case 'boolean': return 'boolean';
    default: return 'json';
  }
}

/** Columns for a stream: its declared top-level properties in schema order, then Airbyte columns. */
export function layoutFor(jsonSchema: Schema, includeAirbyteColumns: boolean): Layout {
  const props = jsonSchema.properties;
  const columns: Column[] = [];
  const reserved = new Set(includeAirbyteColumns ? [...AIRBYTE_COLUMNS, UNFIT_COLUMN].map((c) => c.name) : []);
  if (typeof props === 'object' && props !== null && Object.keys(props).length > 0) {
    for (const [name, schema] of Object.entries(props as Record<string, unknown>)) {
      if (reserved.has(name)) continue; // the destination's own column wins
      columns.push({ name, kind: kindOf(schema), source: 'data', ...(name in Object.prototype ? { inherited: true } : {}) });
    }
  } else {
    columns.push({ name: DATA_COLUMN, kind: 'json', source: 'record' });
  }
  if (includeAirbyteColumns) {
    const fallible = columns.some((c) => FALLIBLE.has(c.kind));
    columns.push(...AIRBYTE_COLUMNS, ...(fallible ? [UNFIT_COLUMN] : []));
  }
  return { columns, fingerprint: fingerprint(columns) };
}

export function fingerprint(columns: readonly Column[]): string {
  const h = createHash('sha256');
  for (const c of columns) h.update(`${c.name}\u0000${c.kind}\u0001`);
  return h.digest('hex').slice(0, 16);
}

/** Logical type names as DuckDB shows them, for manifests and docs. */
export const KIND_SQL: Readonly<Record<ColumnKind, string>> = {
  string: 'VARCHAR', int64: 'BIGINT', double: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATE',
  timestamp: 'TIMESTAMP WITH TIME ZONE', json: 'VARCHAR (JSON text)',
};
