// Sealed column buffers → an Arrow RecordBatch, building Arrow `Data` directly from typed arrays,
// offsets and validity bitmaps (about 1.8× faster than Arrow's vectorFromArray builders;
// techstack.md App. A), then Arrow IPC, the form parquet-wasm imports.
import * as A from 'apache-arrow';
import type { SealedColumn, SealedGroup } from './column-buffers.js';
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

export function arrowSchema(columns: readonly Pick<Column, 'name' | 'kind'>[]): A.Schema {
  return new A.Schema(columns.map((c) => new A.Field(c.name, arrowType(c.kind), true)));
}

function columnData(type: A.DataType, kind: ColumnKind, c: SealedColumn, length: number): A.Data {
  const common = { length, nullCount: c.nullCount, ...(c.validity ? { nullBitmap: c.validity } : {}) };
  const d = c.data;
  switch (kind) {
    case 'int64': case 'timestamp':
      return A.makeData({ type: type as A.Int64, ...common, data: new BigInt64Array(d.buffer, d.byteOffset, length) });
    case 'double': return A.makeData({ type: type as A.Float64, ...common, data: d as Float64Array });
    case 'boolean': return A.makeData({ type: type as A.Bool, ...common, data: d as Uint8Array });
    case 'date': return A.makeData({ type: type as A.DateDay, ...common, data: d as Int32Array });
    default: return A.makeData({ type: type as A.Utf8, ...common, valueOffsets: c.offsets!, data: d as Uint8Array });
  }
}

/** Builds one record batch from a sealed row group. */
export function buildRecordBatch(schema: A.Schema, columns: readonly Pick<Column, 'kind'>[], group: SealedGroup): A.RecordBatch {
  const children = columns.map((c, i) => columnData(schema.fields[i]!.type as A.DataType, c.kind, group.columns[i]!, group.rows));
  const data = A.makeData({ type: new A.Struct(schema.fields), length: group.rows, nullCount: 0, children });
  return new A.RecordBatch(schema, data);
}

/** Serialises a batch as an Arrow IPC stream (the form parquet-wasm imports). */
export function batchToIpc(schema: A.Schema, batch: A.RecordBatch): Uint8Array {
  return A.tableToIPC(new A.Table(schema, [batch]), 'stream');
}
