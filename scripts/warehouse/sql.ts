// SQL text helpers for the DuckDB loader (pure).
import type { ManifestFile } from './manifests.js';

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const quoteLiteral = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** Table for a stream: `<prefix><namespace>__<stream>`, letters, digits and _ only. */
export function tableName(stream: string, namespace: string | null, prefix = ''): string {
  const raw = `${prefix}${namespace ? `${namespace}__` : ''}${stream}`;
  const clean = raw.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(clean) ? `_${clean}` : clean;
}

/** A manifest column type as a DuckDB type ("VARCHAR (JSON text)" → VARCHAR). */
export function duckType(manifestType: string): string {
  const t = manifestType.replace(/\s*\(.*\)\s*$/, '').trim().toUpperCase();
  return /^[A-Z ]+$/.test(t) && t.length > 0 ? t : 'VARCHAR';
}

/** The table function that reads one file, by the manifest's format and compression. */
export function readerSql(path: string, f: Pick<ManifestFile, 'format' | 'compression'>, columns?: { name: string; type: string }[]): string {
  const p = quoteLiteral(path);
  const compression = f.compression === 'none' ? 'none' : f.compression;
  const cols = columns?.length
    ? `, columns = {${columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(duckType(c.type))}`).join(', ')}}`
    : '';
  switch (f.format) {
    case 'parquet':
      return `read_parquet(${p})`;
    case 'csv':
      // NULL is an empty field; an empty string is "" (allow_quoted_nulls = false keeps them apart).
      return `read_csv(${p}, header = true, allow_quoted_nulls = false, compression = ${quoteLiteral(compression)}${cols ? `, auto_detect = false${cols}` : ''})`;
    case 'jsonl':
      return `read_json(${p}, format = 'newline_delimited', compression = ${quoteLiteral(compression === 'none' ? 'uncompressed' : compression)}${cols})`;
    default:
      throw new Error(`warehouse: unknown file format "${f.format}" in a manifest; this loader reads parquet, csv and jsonl`);
  }
}
