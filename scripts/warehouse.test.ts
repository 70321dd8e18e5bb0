// The DuckDB loading recipe over hand-made manifests: exactly once, reruns, several formats, new
// columns, overwrite generations, and a failed manifest that leaves nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { loadManifestsIntoDuckDB } from './warehouse/duckdb-loader.js';
import { bucket, file, manifest, TEST_KEYS as keys } from './warehouse-fixtures.js';
import { duckType, readerSql, tableName } from './warehouse/sql.js';

const rowsOf = async (conn: DuckDBConnection, sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS();
const count = async (conn: DuckDBConnection, table: string) => Number((await rowsOf(conn, `SELECT count(*) AS n FROM ${table}`))[0]!.n);

test('pure helpers: table names, types, readers', () => {
  assert.equal(tableName('track', null, 'adv_'), 'adv_track');
  assert.equal(tableName('my-stream', 'ns.1'), 'ns_1__my_stream');
  assert.equal(tableName('1x', null), '_1x');
  assert.equal(duckType('VARCHAR (JSON text)'), 'VARCHAR');
  assert.equal(duckType('TIMESTAMP WITH TIME ZONE'), 'TIMESTAMP WITH TIME ZONE');
  assert.equal(duckType('x; DROP TABLE y'), 'VARCHAR');
  assert.equal(readerSql("/a/it's.parquet", { format: 'parquet', compression: 'zstd' }), "read_parquet('/a/it''s.parquet')");
  assert.match(readerSql('/a.csv.gz', { format: 'csv', compression: 'gzip' }, [{ name: 'n', type: 'BIGINT' }]), /allow_quoted_nulls = false.*columns = \{'n': 'BIGINT'\}/);
  assert.throws(() => readerSql('/a.avro', { format: 'avro', compression: 'none' }), /unknown file format/);
});

test('loads each manifest once, in key order, across formats; a rerun loads nothing', async () => {
  const b = await bucket();
  try {
    const m1 = await manifest(b, [
      await file(b, 'deliveries', `SELECT 'd' || i AS delivery_id, i AS n FROM range(3) t(i)`),
      await file(b, 'metrics', `SELECT 'm' || i AS event_id, 'opened' AS metric FROM range(2) t(i)`, { format: 'csv' }),
    ], { 'deliveries-v1': [{ name: 'delivery_id', type: 'VARCHAR' }, { name: 'n', type: 'BIGINT' }], 'metrics-v1': [{ name: 'event_id', type: 'VARCHAR' }, { name: 'metric', type: 'VARCHAR' }] });
    const first = await loadManifestsIntoDuckDB(b.conn, { root: b.root, tablePrefix: 'cio_', keys });
    assert.deepEqual({ m: first.manifests, f: first.files, r: first.rows, t: first.tables }, { m: 1, f: 2, r: 5, t: { cio_deliveries: 3, cio_metrics: 2 } });
    // a new column arrives with a later file (JSON lines this time)
    await manifest(b, [await file(b, 'deliveries', `SELECT 'd' || i AS delivery_id, i AS n, 'x' AS subject FROM range(3, 5) t(i)`, { format: 'jsonl', fp: 'deliveries-v2' })],
      { 'deliveries-v2': [{ name: 'delivery_id', type: 'VARCHAR' }, { name: 'n', type: 'BIGINT' }, { name: 'subject', type: 'VARCHAR' }] });
    const second = await loadManifestsIntoDuckDB(b.conn, { root: b.root, tablePrefix: 'cio_', keys });
    assert.equal(second.manifests, 1);
    assert.equal(await count(b.conn, 'cio_deliveries'), 5);
    assert.deepEqual((await rowsOf(b.conn, `SELECT delivery_id, subject FROM cio_deliveries ORDER BY n`)).map((r) => r.subject), [null, null, null, 'x', 'x']);
    const again = await loadManifestsIntoDuckDB(b.conn, { root: b.root, tablePrefix: 'cio_', keys });
    assert.deepEqual({ m: again.manifests, r: again.rows }, { m: 0, r: 0 });
    assert.equal(await count(b.conn, 'cio_deliveries'), 5);
    const book = await rowsOf(b.conn, `SELECT manifest_key, rows FROM _cio_loaded_manifests ORDER BY manifest_key`);
    assert.equal(book.length, 2);
    assert.equal(book[0]!.manifest_key, m1);
    assert.equal(Number(book[0]!.rows), 5);
  } finally {
    await rm(b.root, { recursive: true, force: true });
  }
});

test('overwrite generations: the newest complete generation replaces older ones; an incomplete one does not', async () => {
  const b = await bucket();
  const done = (generation: number, complete: boolean) => [{ stream: 'segments', namespace: null, destination_sync_mode: 'overwrite', sync_id: generation,
    generation_id: generation, minimum_generation_id: generation, rows: 2, generation_complete: complete }];
  try {
    await manifest(b, [await file(b, 'segments', `SELECT i AS id, 'g1' AS name FROM range(2) t(i)`, { generation: 1 })]);
    await manifest(b, [], {}, done(1, true));
    await loadManifestsIntoDuckDB(b.conn, { root: b.root, keys });
    // generation 2 fails half-way: its files are loaded but nothing is replaced
    await manifest(b, [await file(b, 'segments', `SELECT 9 AS id, 'g2' AS name`, { generation: 2 })]);
    await manifest(b, [], {}, done(2, false));
    await loadManifestsIntoDuckDB(b.conn, { root: b.root, keys });
    assert.deepEqual((await rowsOf(b.conn, `SELECT DISTINCT _cio_generation_id AS g FROM segments ORDER BY g`)).map((r) => Number(r.g)), [1, 2]);
    assert.equal(Number((await rowsOf(b.conn, `SELECT generation_id FROM _cio_generations WHERE table_name = 'segments'`))[0]!.generation_id), 1);
    // generation 3 completes: only its rows remain
    await manifest(b, [await file(b, 'segments', `SELECT i AS id, 'g3' AS name FROM range(3) t(i)`, { generation: 3 })]);
    await manifest(b, [], {}, done(3, true));
    const r = await loadManifestsIntoDuckDB(b.conn, { root: b.root, keys });
    assert.deepEqual(r.generationsCompleted, ['segments@3']);
    assert.deepEqual((await rowsOf(b.conn, `SELECT DISTINCT name FROM segments`)).map((x) => x.name), ['g3']);
    assert.equal(await count(b.conn, 'segments'), 3);
  } finally {
    await rm(b.root, { recursive: true, force: true });
  }
});

test('a bucket written with superseded_generations: delete loads: gone files of superseded generations are skipped, a missing current file still fails', async () => {
  const b = await bucket();
  const done = (generation: number) => [{ stream: 'segments', namespace: null, destination_sync_mode: 'overwrite', sync_id: generation,
    generation_id: generation, minimum_generation_id: generation, rows: 2, generation_complete: true }];
  try {
    const g1 = await file(b, 'segments', `SELECT i AS id, 'g1' AS name FROM range(2) t(i)`, { generation: 1 });
    await manifest(b, [g1]);
    await manifest(b, [], {}, done(1));
    await manifest(b, [await file(b, 'segments', `SELECT i AS id, 'g2' AS name FROM range(3) t(i)`, { generation: 2 })]);
    await manifest(b, [], {}, done(2));
    await rm(join(b.root, g1.key)); // what the destination does once generation 2's final manifest is written
    const r = await loadManifestsIntoDuckDB(b.conn, { root: b.root, keys });
    assert.deepEqual({ m: r.manifests, gone: r.filesGone, rows: r.rows }, { m: 4, gone: 1, rows: 3 });
    assert.deepEqual((await rowsOf(b.conn, `SELECT DISTINCT name FROM segments`)).map((x) => x.name), ['g2']);
    const g3 = await file(b, 'segments', `SELECT 7 AS id, 'g3' AS name`, { generation: 3 });
    await manifest(b, [g3]);
    await rm(join(b.root, g3.key));
    await assert.rejects(loadManifestsIntoDuckDB(b.conn, { root: b.root, keys }), /loading _manifests\/.* failed, nothing of it was kept/);
  } finally {
    await rm(b.root, { recursive: true, force: true });
  }
});

test('a manifest that cannot be loaded leaves nothing of it behind and is retried next time', async () => {
  const b = await bucket();
  try {
    const good = await file(b, 'track', `SELECT i AS id FROM range(4) t(i)`);
    const missing = { ...good, key: 'track/gone.parquet' };
    await manifest(b, [good, missing]);
    await assert.rejects(loadManifestsIntoDuckDB(b.conn, { root: b.root, keys }), /loading _manifests\/.* failed, nothing of it was kept/);
    assert.equal(Number((await rowsOf(b.conn, `SELECT count(*) AS n FROM _cio_loaded_manifests`))[0]!.n), 0);
    const tables = await rowsOf(b.conn, `SELECT table_name FROM information_schema.tables WHERE table_name = 'track'`);
    assert.equal(tables.length, 0, 'the table created in the failed transaction is gone');
    // the file appears (e.g. a slow copy): the same manifest now loads, once
    await b.conn.run(`COPY (SELECT i AS id FROM range(4, 8) t(i)) TO '${join(b.root, 'track/gone.parquet')}' (FORMAT parquet)`);
    const r = await loadManifestsIntoDuckDB(b.conn, { root: b.root, keys });
    assert.deepEqual({ m: r.manifests, rows: r.rows }, { m: 1, rows: 8 });
    // a row-count mismatch is refused too
    await manifest(b, [{ ...good, rows: 5 }]);
    await assert.rejects(loadManifestsIntoDuckDB(b.conn, { root: b.root, keys }), /holds 4 rows but its manifest says 5/);
    assert.equal(await count(b.conn, 'track'), 8);
  } finally {
    await rm(b.root, { recursive: true, force: true });
  }
});
