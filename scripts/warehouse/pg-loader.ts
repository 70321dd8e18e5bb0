// Loads the files named in destination-bucket manifests into PostgreSQL (client `pg`), exactly once,
// with the same bookkeeping and dedup as the DuckDB loader (duckdb-loader.ts, docs/warehouse-loading.md):
// - one transaction per manifest: its files' rows, the dedup of the keys they touch, generation
//   completions and its row in `_cio_loaded_manifests` commit together or not at all;
// - one table per stream, created from the manifest's column layout (JSON text → jsonb), new columns
//   added with ALTER TABLE; every row gets `_cio_generation_id` and `_cio_file`;
// - each table keeps one row per primary key (the catalog's), the newest by cursor, then
//   `_airbyte_extracted_at`.
// Files are read with DuckDB (Parquet, CSV, JSON lines) and sent in batches as one JSON parameter each.
import { join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ClientBase } from 'pg';
import { dedupSql, type DedupDialect } from './dedup-sql.js';
import type { LoadReport } from './duckdb-loader.js';
import { fileColumns, fileRows } from './file-rows.js';
import { filesToLoad, listManifests, supersededBelow, type ManifestEntry } from './manifests.js';
import { PG_BOOKKEEPING_SQL, PG_UPSERT_GENERATION, pgType } from './pg-sql.js';
import { quoteIdent, quoteLiteral, tableName } from './sql.js';
import { keysFor, type StreamKeyMap } from './stream-keys.js';

export interface PgLoadOptions {
  /** Local folder the destination wrote to (holds `_manifests/`). */
  root: string;
  /** Names this bucket/prefix in the bookkeeping tables (default: the absolute folder path). */
  location?: string;
  tablePrefix?: string;
  keys: StreamKeyMap;
  /** A DuckDB connection used to read the files. */
  reader: DuckDBConnection;
}

const PG: DedupDialect = { rowId: 'ctid', quoteIdent, quoteLiteral };

export async function loadManifestsIntoPostgres(pg: ClientBase, opts: PgLoadOptions): Promise<LoadReport> {
  const root = resolve(opts.root);
  const location = opts.location ?? root;
  for (const sql of PG_BOOKKEEPING_SQL) await pg.query(sql);
  const done = new Set((await pg.query<{ manifest_key: string }>('SELECT manifest_key FROM _cio_loaded_manifests WHERE location = $1', [location])).rows.map((r) => r.manifest_key));
  const all = await listManifests(root);
  const superseded = supersededBelow(all);
  const pending = all.filter((e) => !done.has(e.key));
  const report: LoadReport = { manifests: 0, files: 0, rows: 0, tables: {}, generationsCompleted: [], duplicatesRemoved: {}, filesGone: 0 };
  for (const entry of pending) {
    const part: LoadReport = { manifests: 0, files: 0, rows: 0, tables: {}, generationsCompleted: [], duplicatesRemoved: {}, filesGone: 0 };
    await pg.query('BEGIN');
    try {
      await loadOne(pg, opts, root, location, entry, superseded, part);
      await pg.query('COMMIT');
    } catch (e) {
      await pg.query('ROLLBACK');
      throw new Error(`warehouse: loading ${entry.key} failed, nothing of it was kept: ${(e as Error).message}`);
    }
    report.manifests++;
    report.files += part.files;
    report.rows += part.rows;
    report.filesGone += part.filesGone;
    report.generationsCompleted.push(...part.generationsCompleted);
    for (const [t, n] of Object.entries(part.tables)) report.tables[t] = (report.tables[t] ?? 0) + n;
    for (const [t, n] of Object.entries(part.duplicatesRemoved)) report.duplicatesRemoved[t] = (report.duplicatesRemoved[t] ?? 0) + n;
  }
  return report;
}

async function loadOne(pg: ClientBase, opts: PgLoadOptions, root: string, location: string, entry: ManifestEntry,
  superseded: ReadonlyMap<string, number>, report: LoadReport): Promise<void> {
  const { manifest, key } = entry;
  const prefix = opts.tablePrefix ?? '';
  const touched = new Map<string, { stream: string; namespace: string | null; files: string[] }>();
  let rows = 0;
  const { load, gone } = await filesToLoad(root, manifest, superseded);
  report.filesGone += gone.length;
  for (const f of load) {
    keysFor(opts.keys, f.stream, f.namespace);
    const table = tableName(f.stream, f.namespace, prefix);
    const t = touched.get(table) ?? { stream: f.stream, namespace: f.namespace, files: [] };
    t.files.push(f.key);
    touched.set(table, t);
    const path = join(root, f.key);
    const fileCols = await fileColumns(opts.reader, path, f, manifest.schemas[f.schema_fingerprint]);
    const columns = fileCols.map((c) => ({ name: c.name, type: pgType(c.type) }));
    await ensureTable(pg, table, columns);
    const target = [...columns.map((c) => quoteIdent(c.name)), '_cio_generation_id', '_cio_file'].join(', ');
    const values = [...columns.map((c) => `x.${quoteIdent(c.name)}::${c.type}`), `${Number(f.generation_id)}::bigint`, '$2::text'].join(', ');
    const shape = columns.map((c) => `${quoteIdent(c.name)} text`).join(', ');
    const insert = `INSERT INTO ${quoteIdent(table)} (${target}) SELECT ${values} FROM json_to_recordset($1::json) AS x(${shape})`;
    let inserted = 0;
    for await (const batch of fileRows(opts.reader, path, f, fileCols)) {
      inserted += (await pg.query(insert, [JSON.stringify(batch), f.key])).rowCount ?? 0;
    }
    if (inserted !== f.rows) throw new Error(`${f.key} holds ${inserted} rows but its manifest says ${f.rows}`);
    rows += f.rows;
    report.files++;
    report.rows += f.rows;
    report.tables[table] = (report.tables[table] ?? 0) + f.rows;
  }
  for (const [table, t] of touched) {
    const sql = dedupSql(table, t.stream, keysFor(opts.keys, t.stream, t.namespace), await columnsOf(pg, table), t.files, PG);
    if (!sql) continue;
    const removed = (await pg.query(sql)).rowCount ?? 0;
    if (removed) report.duplicatesRemoved[table] = (report.duplicatesRemoved[table] ?? 0) + removed;
  }
  for (const s of manifest.streams ?? []) {
    if (!s.generation_complete) continue;
    const table = tableName(s.stream, s.namespace, prefix);
    if ((await columnsOf(pg, table)).size > 0) {
      await pg.query(`DELETE FROM ${quoteIdent(table)} WHERE _cio_generation_id < $1`, [Number(s.minimum_generation_id)]);
    }
    await pg.query(PG_UPSERT_GENERATION, [location, table, s.stream, s.destination_sync_mode, Number(s.generation_id), Number(s.minimum_generation_id), Number(s.sync_id), key]);
    report.generationsCompleted.push(`${table}@${s.generation_id}`);
  }
  await pg.query('INSERT INTO _cio_loaded_manifests (location, manifest_key, sequence, files, rows) VALUES ($1, $2, $3, $4, $5)',
    [location, key, manifest.sequence, manifest.files.length, rows]);
}

async function columnsOf(pg: ClientBase, table: string): Promise<Set<string>> {
  const r = await pg.query<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1', [table]);
  return new Set(r.rows.map((x) => x.column_name));
}

/** Creates the stream's table, or adds the columns a newer file brings. */
async function ensureTable(pg: ClientBase, table: string, columns: { name: string; type: string }[]): Promise<void> {
  const existing = await columnsOf(pg, table);
  if (existing.size === 0) {
    const defs = [...columns, { name: '_cio_generation_id', type: 'bigint' }, { name: '_cio_file', type: 'text' }]
      .map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
    await pg.query(`CREATE TABLE ${quoteIdent(table)} (${defs})`);
    return;
  }
  for (const c of columns) {
    if (!existing.has(c.name)) await pg.query(`ALTER TABLE ${quoteIdent(table)} ADD COLUMN ${quoteIdent(c.name)} ${c.type}`);
  }
}
