// Loads the files named in destination-bucket manifests into DuckDB, exactly once.
// - Manifests are read in key order (= write order); each one is loaded in ONE transaction together
//   with its row in the bookkeeping table `_cio_loaded_manifests`, so a crash or a rerun never loads a
//   file twice and never skips one.
// - One table per stream; created from the manifest's column layout for the first file (the file's
//   schema), later columns are added with ALTER TABLE. Every row gets `_cio_generation_id` and `_cio_file`.
// - Overwrite streams: when a final manifest says a generation is complete, rows of older generations
//   (< minimum_generation_id) are deleted in the same transaction and `_cio_generations` records it;
//   the newest complete generation wins (see docs/warehouse-loading.md).
// - Each table holds one row per primary key (keys from the catalog the sync used): after a manifest's
//   files are inserted, older versions of the keys they touch are deleted in the same transaction, so
//   the at-least-once duplicates a crash and rerun leave in the bucket never reach the table.
import { resolve, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { filesToLoad, listManifests, supersededBelow, type Manifest, type ManifestEntry, type ManifestFile } from './manifests.js';
import { duckType, quoteIdent, quoteLiteral, readerSql, tableName } from './sql.js';
import { dedupSql, type DedupDialect } from './dedup-sql.js';
import { keysFor, type StreamKeyMap } from './stream-keys.js';

export interface LoadOptions {
  /** Local folder the destination wrote to (holds `_manifests/`). */
  root: string;
  /** Names this bucket/prefix in the bookkeeping tables (default: the absolute folder path). */
  location?: string;
  /** Prefix for the stream tables, e.g. "cio_std_". */
  tablePrefix?: string;
  /** Primary key and cursor per stream, from the catalog the sync used (`readStreamKeys`). */
  keys: StreamKeyMap;
}

export interface LoadReport {
  manifests: number; files: number; rows: number; tables: Record<string, number>; generationsCompleted: string[];
  /** Older versions of a primary key (and repeats) deleted, per table. */
  duplicatesRemoved: Record<string, number>;
  /** Listed files of superseded generations that were gone (deleted by `superseded_generations: delete`), skipped. */
  filesGone: number;
}

const DUCKDB: DedupDialect = { rowId: 'rowid', quoteIdent, quoteLiteral };

export const BOOKKEEPING_SQL = [
  `CREATE TABLE IF NOT EXISTS _cio_loaded_manifests (location VARCHAR NOT NULL, manifest_key VARCHAR NOT NULL, sequence VARCHAR, files INTEGER, rows BIGINT, loaded_at TIMESTAMP WITH TIME ZONE DEFAULT current_timestamp, PRIMARY KEY (location, manifest_key))`,
  `CREATE TABLE IF NOT EXISTS _cio_generations (location VARCHAR NOT NULL, table_name VARCHAR NOT NULL, stream VARCHAR, destination_sync_mode VARCHAR, generation_id BIGINT, minimum_generation_id BIGINT, sync_id BIGINT, manifest_key VARCHAR, PRIMARY KEY (location, table_name))`,
];

export async function loadManifestsIntoDuckDB(conn: DuckDBConnection, opts: LoadOptions): Promise<LoadReport> {
  const root = resolve(opts.root);
  const location = opts.location ?? root;
  for (const sql of BOOKKEEPING_SQL) await conn.run(sql);
  const done = new Set((await conn.runAndReadAll(`SELECT manifest_key FROM _cio_loaded_manifests WHERE location = ${quoteLiteral(location)}`))
    .getRowObjectsJS().map((r) => String(r.manifest_key)));
  const all = await listManifests(root);
  const superseded = supersededBelow(all);
  const pending = all.filter((e) => !done.has(e.key));
  const report: LoadReport = { manifests: 0, files: 0, rows: 0, tables: {}, generationsCompleted: [], duplicatesRemoved: {}, filesGone: 0 };
  for (const entry of pending) {
    await conn.run('BEGIN TRANSACTION');
    try {
      await loadOne(conn, root, location, opts.tablePrefix ?? '', opts.keys, entry, superseded, report);
      await conn.run('COMMIT');
    } catch (e) {
      await conn.run('ROLLBACK');
      throw new Error(`warehouse: loading ${entry.key} failed, nothing of it was kept: ${(e as Error).message}`);
    }
    report.manifests++;
  }
  return report;
}

async function loadOne(conn: DuckDBConnection, root: string, location: string, prefix: string, keys: StreamKeyMap, entry: ManifestEntry,
  superseded: ReadonlyMap<string, number>, report: LoadReport): Promise<void> {
  const { manifest, key } = entry;
  let rows = 0;
  const touched = new Map<string, { stream: string; namespace: string | null; files: string[] }>();
  const { load, gone } = await filesToLoad(root, manifest, superseded);
  report.filesGone += gone.length;
  for (const f of load) {
    keysFor(keys, f.stream, f.namespace);
    const table = tableName(f.stream, f.namespace, prefix);
    const t = touched.get(table) ?? { stream: f.stream, namespace: f.namespace, files: [] };
    t.files.push(f.key);
    touched.set(table, t);
    const layout = manifest.schemas[f.schema_fingerprint];
    await ensureTable(conn, table, f, layout, join(root, f.key));
    const cols = layout ?? undefined;
    const select = `SELECT *, CAST(${f.generation_id} AS BIGINT) AS _cio_generation_id, ${quoteLiteral(f.key)} AS _cio_file FROM ${readerSql(join(root, f.key), f, f.format === 'parquet' ? undefined : cols)}`;
    const result = await conn.run(`INSERT INTO ${quoteIdent(table)} BY NAME ${select}`);
    if (result.rowsChanged !== f.rows) throw new Error(`${f.key} holds ${result.rowsChanged} rows but its manifest says ${f.rows}`);
    rows += f.rows;
    report.files++;
    report.rows += f.rows;
    report.tables[table] = (report.tables[table] ?? 0) + f.rows;
  }
  for (const [table, t] of touched) {
    const sql = dedupSql(table, t.stream, keysFor(keys, t.stream, t.namespace), await columnsOf(conn, table), t.files, DUCKDB);
    if (!sql) continue;
    const removed = Number((await conn.run(sql)).rowsChanged);
    if (removed) report.duplicatesRemoved[table] = (report.duplicatesRemoved[table] ?? 0) + removed;
  }
  for (const s of manifest.streams ?? []) {
    if (!s.generation_complete) continue;
    const table = tableName(s.stream, s.namespace, prefix);
    if (await tableExists(conn, table)) {
      await conn.run(`DELETE FROM ${quoteIdent(table)} WHERE _cio_generation_id < ${Number(s.minimum_generation_id)}`);
    }
    await conn.run(`INSERT OR REPLACE INTO _cio_generations VALUES (${[location, table, s.stream, s.destination_sync_mode].map(quoteLiteral).join(', ')}, ${Number(s.generation_id)}, ${Number(s.minimum_generation_id)}, ${Number(s.sync_id)}, ${quoteLiteral(key)})`);
    report.generationsCompleted.push(`${table}@${s.generation_id}`);
  }
  await conn.run(`INSERT INTO _cio_loaded_manifests (location, manifest_key, sequence, files, rows) VALUES (${quoteLiteral(location)}, ${quoteLiteral(key)}, ${quoteLiteral(manifest.sequence)}, ${manifest.files.length}, ${rows})`);
}

async function tableExists(conn: DuckDBConnection, table: string): Promise<boolean> {
  const r = await conn.runAndReadAll(`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ${quoteLiteral(table)}`);
  return Number(r.getRowObjectsJS()[0]?.n ?? 0) > 0;
}

/** Creates the stream's table from the file's column layout, or adds the columns a newer file brings. */
async function ensureTable(conn: DuckDBConnection, table: string, f: ManifestFile, layout: Manifest['schemas'][string] | undefined, path: string): Promise<void> {
  const columns = layout?.map((c) => ({ name: c.name, type: duckType(c.type) }))
    ?? (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${readerSql(path, f)}`)).getRowObjectsJS()
      .map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  if (!(await tableExists(conn, table))) {
    const defs = [...columns, { name: '_cio_generation_id', type: 'BIGINT' }, { name: '_cio_file', type: 'VARCHAR' }]
      .map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
    await conn.run(`CREATE TABLE ${quoteIdent(table)} (${defs})`);
    return;
  }
  const existing = await columnsOf(conn, table);
  for (const c of columns) {
    if (!existing.has(c.name)) await conn.run(`ALTER TABLE ${quoteIdent(table)} ADD COLUMN ${quoteIdent(c.name)} ${c.type}`);
  }
}

async function columnsOf(conn: DuckDBConnection, table: string): Promise<Set<string>> {
  return new Set((await conn.runAndReadAll(`SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${quoteLiteral(table)}`))
    .getRowObjectsJS().map((r) => String(r.column_name)));
}
