// Reads the rows of one bucket file (Parquet, CSV or JSON lines, any compression the manifest names)
// through DuckDB, every value as text (or null), in batches: what the PostgreSQL loader sends on.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Manifest, ManifestFile } from './manifests.js';
import { duckType, quoteIdent, readerSql } from './sql.js';

/** The file's columns: the manifest's layout, or (without one) what DuckDB reads in the file. */
export async function fileColumns(duck: DuckDBConnection, path: string, f: ManifestFile, layout: Manifest['schemas'][string] | undefined): Promise<{ name: string; type: string }[]> {
  if (layout) return layout.map((c) => ({ name: c.name, type: c.type }));
  return (await duck.runAndReadAll(`DESCRIBE SELECT * FROM ${readerSql(path, f)}`)).getRowObjectsJS()
    .map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
}

export async function* fileRows(duck: DuckDBConnection, path: string, f: ManifestFile, columns: { name: string; type: string }[], batchRows = 2000): AsyncGenerator<Record<string, string | null>[]> {
  const reader = readerSql(path, f, f.format === 'parquet' ? undefined : columns.map((c) => ({ name: c.name, type: duckType(c.type) })));
  const select = columns.map((c) => `CAST(${quoteIdent(c.name)} AS VARCHAR) AS ${quoteIdent(c.name)}`).join(', ');
  const result = await duck.stream(`SELECT ${select} FROM ${reader}`);
  let batch: Record<string, string | null>[] = [];
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (const row of chunk.getRowObjects(result.deduplicatedColumnNames())) {
      batch.push(row as Record<string, string | null>);
      if (batch.length >= batchRows) { yield batch; batch = []; }
    }
  }
  if (batch.length) yield batch;
}
