// Hand-made buckets for the loader tests: data files written by DuckDB, manifests as destination-bucket
// writes them, and the catalog keys of the streams they use.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Manifest, ManifestFile } from './warehouse/manifests.js';
import { streamKeysFromCatalog } from './warehouse/stream-keys.js';

const schema = { type: 'object' };
/** A discovered catalog's keys: incremental streams with primary keys and cursors, one full-refresh stream. */
export const TEST_KEYS = streamKeysFromCatalog({ streams: [
  { name: 'deliveries', json_schema: schema, supported_sync_modes: ['full_refresh', 'incremental'], source_defined_primary_key: [['delivery_id']], default_cursor_field: ['n'] },
  { name: 'metrics', json_schema: schema, supported_sync_modes: ['incremental'], source_defined_primary_key: [['event_id']] },
  { name: 'campaigns', json_schema: schema, supported_sync_modes: ['incremental'], source_defined_primary_key: [['id']], default_cursor_field: ['updated'] },
  { name: 'attributes', json_schema: schema, supported_sync_modes: ['incremental'], source_defined_primary_key: [['cid'], ['name'], ['ts']], default_cursor_field: ['ts'] },
  { name: 'segments', json_schema: schema, supported_sync_modes: ['full_refresh'], source_defined_primary_key: [['id']] },
  { name: 'track', json_schema: schema, supported_sync_modes: ['incremental'], source_defined_primary_key: [['id']] },
  { name: 'raw_log', json_schema: schema, supported_sync_modes: ['incremental'] },
] });

export interface Bucket { root: string; conn: DuckDBConnection; seq: number }

export async function bucket(): Promise<Bucket> {
  const root = await mkdtemp(join(tmpdir(), 'wh-test-'));
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  return { root, conn, seq: 1000 };
}

/** Writes a data file with DuckDB and returns its manifest entry. */
export async function file(b: Bucket, stream: string, select: string, o: { format?: 'parquet' | 'csv' | 'jsonl'; generation?: number; fp?: string } = {}): Promise<ManifestFile> {
  const format = o.format ?? 'parquet';
  const ext = { parquet: 'parquet', csv: 'csv.gz', jsonl: 'jsonl' }[format];
  const key = `${stream}/${stream}_${b.seq++}.${ext}`;
  await mkdir(dirname(join(b.root, key)), { recursive: true });
  const opts = { parquet: '(FORMAT parquet)', csv: "(FORMAT csv, HEADER, COMPRESSION gzip)", jsonl: '(FORMAT json)' }[format];
  await b.conn.run(`COPY (${select}) TO '${join(b.root, key)}' ${opts}`);
  const rows = Number((await b.conn.runAndReadAll(`SELECT count(*) AS n FROM (${select})`)).getRowObjectsJS()[0]!.n);
  return { stream, namespace: null, key, rows, bytes: 1, format, compression: format === 'csv' ? 'gzip' : format === 'jsonl' ? 'none' : 'zstd',
    schema_fingerprint: o.fp ?? `${stream}-v1`, sync_id: 1, generation_id: o.generation ?? 0 };
}

export async function manifest(b: Bucket, files: ManifestFile[], schemas: Manifest['schemas'] = {}, streams?: Manifest['streams']): Promise<string> {
  const sequence = String(b.seq++).padStart(22, '0');
  const m: Manifest = { manifest_version: 1, sequence, written_at: new Date().toISOString(), final: streams !== undefined, files, schemas, ...(streams ? { streams } : {}) };
  await mkdir(join(b.root, '_manifests'), { recursive: true });
  await writeFile(join(b.root, '_manifests', `${sequence}.json`), JSON.stringify(m));
  return `_manifests/${sequence}.json`;
}

