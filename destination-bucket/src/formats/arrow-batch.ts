// Column values → an Arrow RecordBatch, building Arrow `Data` directly from typed arrays, offsets and
// validity bitmaps (about 1.8× faster than Arrow's vectorFromArray builders; techstack.md App. A).
import * as A from 'apache-arrow';
import type { Coerced } from './coerce.js';
import type { Column, ColumnKind } from './columns.js';

export function arrowType(kind: ColumnKind): A.DataType {
  switch (kind) {
    case 'int64': return new A.Int64();
    case 'double': return new A.Float64();
    case 'boolean': return new A.Bool();
    case 'date': return new A.DateDay();
    case 'timestamp': return new A.TimestampMicrosecond('UTC');
    default: return new A.Utf8();
  }
}

export function arrowSchema(columns: readonly Column[]): A.Schema {
  return new A.Schema(columns.map((c) => new A.Field(c.name, arrowType(c.kind), true)));
}

function validity(values: readonly Coerced[], n: number): [Uint8Array | undefined, number] {
  const bm = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (values[i] === null || values[i] === undefined) nulls++;
    else bm[i >> 3]! |= 1 << (i & 7);
  }
  return [nulls ? bm : undefined, nulls];
}

let scratch = Buffer.allocUnsafe(1 << 20);

function utf8(values: readonly Coerced[], n: number): A.Data {
  const offsets = new Int32Array(n + 1);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const s = values[i];
    if (typeof s === 'string') {
      const need = pos + s.length * 3;
      if (need > scratch.length) {
        let cap = scratch.length;
        while (cap < need) cap *= 2;
        const nb = Buffer.allocUnsafe(cap);
        scratch.copy(nb, 0, 0, pos);
        scratch = nb;
      }
      pos += scratch.write(s, pos, 'utf8');
    }
    offsets[i + 1] = pos;
  }
  const [nullBitmap, nullCount] = validity(values, n);
  const data = new Uint8Array(pos);
  data.set(scratch.subarray(0, pos));
  return A.makeData({ type: new A.Utf8(), length: n, nullCount, ...(nullBitmap ? { nullBitmap } : {}), valueOffsets: offsets, data });
}

function int64(type: A.Int64 | A.TimestampMicrosecond, values: readonly Coerced[], n: number): A.Data {
  const d = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'number') d[i] = BigInt(v);
    else if (typeof v === 'bigint') d[i] = v;
  }
  const [nullBitmap, nullCount] = validity(values, n);
  if (type instanceof A.Int64) return A.makeData({ type, length: n, nullCount, ...(nullBitmap ? { nullBitmap } : {}), data: d });
  return A.makeData({ type, length: n, nullCount, ...(nullBitmap ? { nullBitmap } : {}), data: d });
}

function float64(values: readonly Coerced[], n: number): A.Data {
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) { const v = values[i]; if (typeof v === 'number') d[i] = v; }
  const [nullBitmap, nullCount] = validity(values, n);
  return A.makeData({ type: new A.Float64(), length: n, nullCount, ...(nullBitmap ? { nullBitmap } : {}), data: d });
}

function dateDay(values: readonly Coerced[], n: number): A.Data {
  const d = new Int32Array(n);
  for (let i = 0; i < n; i++) { const v = values[i]; if (typeof v === 'number') d[i] = v; }
  const [nullBitmap, nullCount] = validity(values, n);
  return A.makeData({ type: new A.DateDay(), length: n, nullCount, ...(nullBitmap ? { nullBitmap } : {}), data: d });
}

function bool(values: readonly Coerced[], n: number): A.Data {
  const d = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (values[i] === true) d[i >> 3]! |= 1 << (i & 7);
  const [nullBitmap, nullCount] = validity(values, n);
  return A.makeData({ type: new A.Bool(), length: n, nullCount, ...(nullBitmap ? { nullBitmap } : {}), data: d });
}

function columnData(kind: ColumnKind, values: readonly Coerced[], n: number): A.Data {
  switch (kind) {
    case 'int64': return int64(new A.Int64(), values, n);
    case 'timestamp': return int64(new A.TimestampMicrosecond('UTC'), values, n);
    case 'double': return float64(values, n);
    case 'boolean': return bool(values, n);
    case 'date': return dateDay(values, n);
    default: return utf8(values, n);
  }
}

/** Builds one record batch from per-column value arrays holding `n` rows each. */
export function buildRecordBatch(schema: A.Schema, columns: readonly Column[], values: readonly (readonly Coerced[])[], n: number): A.RecordBatch {
  const children = columns.map((c, i) => columnData(c.kind, values[i]!, n));
  const data = A.makeData({ type: new A.Struct(schema.fields), length: n, nullCount: 0, children });
  return new A.RecordBatch(schema, data);
}

/** Serialises a batch as an Arrow IPC stream (the form parquet-wasm imports). */
export function batchToIpc(schema: A.Schema, batch: A.RecordBatch): Uint8Array {
  return A.tableToIPC(new A.Table(schema, [batch]), 'stream');
}
