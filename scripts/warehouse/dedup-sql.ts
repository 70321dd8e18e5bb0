// The statement that keeps one row per primary key after a manifest's files are inserted (pure),
// for DuckDB (`rowid`) and PostgreSQL (`ctid`). Only keys that the new files touch are looked at.
// Newest wins: highest cursor, then latest `_airbyte_extracted_at`, then the newest generation, then
// the row loaded last. Overwrite streams deduplicate within a generation (generations replace each
// other through the final manifest instead).
import type { StreamKeys } from './stream-keys.js';

export interface DedupDialect {
  /** Physical row id column: `rowid` (DuckDB) or `ctid` (PostgreSQL). */
  rowId: string;
  quoteIdent(name: string): string;
  quoteLiteral(text: string): string;
}

export const EXTRACTED_AT = '_airbyte_extracted_at';

/**
 * DELETE statement for the duplicates of the keys in `files`, or undefined for a stream without a
 * primary key. `columns`: the table's columns (a key or cursor column it lacks is an error).
 */
export function dedupSql(table: string, stream: string, keys: StreamKeys, columns: ReadonlySet<string>, files: readonly string[], d: DedupDialect): string | undefined {
  if (keys.primaryKey.length === 0 || files.length === 0) return undefined;
  for (const c of keys.primaryKey) {
    if (!columns.has(c)) throw new Error(`warehouse: stream "${stream}" has primary key column "${c}" in its catalog, but its files have no such column`);
  }
  if (keys.cursor !== undefined && !columns.has(keys.cursor)) {
    throw new Error(`warehouse: stream "${stream}" has cursor "${keys.cursor}" in its catalog, but its files have no such column`);
  }
  const q = d.quoteIdent;
  const partition = [...keys.primaryKey.map((c) => `x.${q(c)}`), ...(keys.perGeneration ? ['x._cio_generation_id'] : [])];
  const order = [
    ...(keys.cursor !== undefined ? [`x.${q(keys.cursor)} DESC NULLS LAST`] : []),
    ...(columns.has(EXTRACTED_AT) ? [`x.${q(EXTRACTED_AT)} DESC NULLS LAST`] : []),
    'x._cio_generation_id DESC',
    `x.${d.rowId} DESC`,
  ];
  const sameKey = keys.primaryKey.map((c) => `y.${q(c)} = x.${q(c)}`).join(' AND ');
  const fileList = files.map(d.quoteLiteral).join(', ');
  return `DELETE FROM ${q(table)} WHERE ${d.rowId} IN (SELECT s.r FROM (`
    + `SELECT x.${d.rowId} AS r, row_number() OVER (PARTITION BY ${partition.join(', ')} ORDER BY ${order.join(', ')}) AS n `
    + `FROM ${q(table)} x WHERE EXISTS (SELECT 1 FROM ${q(table)} y WHERE y._cio_file IN (${fileList}) AND ${sameKey})`
    + `) s WHERE s.n > 1)`;
}
