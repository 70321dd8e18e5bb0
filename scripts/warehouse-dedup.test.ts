// The loaders keep one row per primary key: at-least-once repeats in the bucket (a crash and rerun
// writes some rows twice) never reach the table; the newest version wins (cursor, then
// `_airbyte_extracted_at`); the dedup is part of the manifest's transaction; keys come from the catalog.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { loadManifestsIntoDuckDB } from './warehouse/duckdb-loader.js';
import { dedupSql } from './warehouse/dedup-sql.js';
import { quoteIdent, quoteLiteral } from './warehouse/sql.js';
import { streamKeysFromCatalog } from './warehouse/stream-keys.js';
import { bucket, file, manifest, TEST_KEYS as keys } from './warehouse-fixtures.js';

const rows = async (b: Awaited<ReturnType<typeof bucket>>, sql: string) => (await b.conn.runAndReadAll(sql)).getRowObjectsJS();

test('a rerun that wrote rows again: each primary key is loaded once', async () => {
  const b = await bucket();
  try {
    await manifest(b, [await file(b, 'deliveries', `SELECT 'd' || i AS delivery_id, i AS n FROM range(5) t(i)`)]);
    // the crashed sync's last rows come again in the rerun's first file, with new ones
    await manifest(b, [await file(b, 'deliveries', `SELECT 'd' || i AS delivery_id, i AS n FROM range(3, 8) t(i)`)]);
    // and one file repeats a key inside itself
    await manifest(b, [await file(b, 'deliveries', `SELECT 'd7' AS delivery_id, 7 AS n UNION ALL SELECT 'd7', 7`)]);
    const r = await loadManifestsIntoDuckDB(b.conn, { root: b.root, keys });
    assert.equal(r.rows, 12, 'every row of every file was read');
    assert.deepEqual(r.duplicatesRemoved, { deliveries: 4 });
    const got = await rows(b, `SELECT delivery_id AS id, count(*) AS c FROM deliveries GROUP BY 1 ORDER BY 1`);
    assert.deepEqual(got.map((x) => [x.id, Number(x.c)]), [0, 1, 2, 3, 4, 5, 6, 7].map((i) => [`d${i}`, 1]));
  } finally {
    await rm(b.root, { recursive: true, force: true });
  }
});

test('the newest version wins: highest cursor, then latest _airbyte_extracted_at, whatever the load order', async () => {
  const b = await bucket();
  const ts = (s: string) => `TIMESTAMPTZ '2026-11-29 10:00:${s}+00'`;
  try {
    await manifest(b, [await file(b, 'campaigns', `SELECT 1 AS id, 20 AS updated, 'new' AS name, ${ts('01')} AS _airbyte_extracted_at
      UNION ALL SELECT 2, 5, 'b', ${ts('09')}`)]);
    await manifest(b, [await file(b, 'campaigns', `SELECT 1 AS id, 10 AS updated, 'old' AS name, ${ts('30')} AS _airbyte_extracted_at
      UNION ALL SELECT 2, 5, 'a', ${ts('02')} UNION ALL SELECT 3, NULL, 'null cursor', ${ts('40')}`)]);
    await loadManifestsIntoDuckDB(b.conn, { root: b.root, keys });
    await manifest(b, [await file(b, 'campaigns', `SELECT 3 AS id, 1 AS updated, 'c' AS name, ${ts('00')} AS _airbyte_extracted_at`)]);
    await loadManifestsIntoDuckDB(b.conn, { root: b.root, keys });
    const got = await rows(b, `SELECT id, name FROM campaigns ORDER BY id`);
    assert.deepEqual(got.map((x) => [x.id, x.name]), [[1, 'new'], [2, 'b'], [3, 'c']]);
    // a composite key keeps each (person, attribute, time) once: the history of changes stays
    await manifest(b, [await file(b, 'attributes', `SELECT 'p1' AS cid, 'plan' AS name, t AS ts, 'v' || t AS value FROM (VALUES (1), (2), (2), (3)) v(t)`)]);
    await loadManifestsIntoDuckDB(b.conn, { root: b.root, keys });
    assert.deepEqual((await rows(b, `SELECT value FROM attributes ORDER BY ts`)).map((x) => x.value), ['v1', 'v2', 'v3']);
  } finally {
    await rm(b.root, { recursive: true, force: true });
  }
});

test('the dedup is part of the manifest transaction; streams without a key are appended; unknown streams fail', async () => {
  const b = await bucket();
  try {
    await manifest(b, [await file(b, 'campaigns', `SELECT i AS id, 1 AS updated, 'v1' AS name FROM range(3) t(i)`)]);
    await loadManifestsIntoDuckDB(b.conn, { root: b.root, keys });
    const newer = await file(b, 'campaigns', `SELECT 1 AS id, 2 AS updated, 'v2' AS name`);
    await manifest(b, [newer, { ...newer, key: 'campaigns/missing.parquet' }]);
    await assert.rejects(loadManifestsIntoDuckDB(b.conn, { root: b.root, keys }), /nothing of it was kept/);
    assert.deepEqual((await rows(b, `SELECT id, name FROM campaigns ORDER BY id`)).map((x) => [Number(x.id), x.name]), [[0, 'v1'], [1, 'v1'], [2, 'v1']]);
    assert.equal(Number((await rows(b, `SELECT count(*) AS n FROM _cio_loaded_manifests`))[0]!.n), 1);

    const b2 = await bucket();
    try {
      await manifest(b2, [await file(b2, 'raw_log', `SELECT 1 AS x UNION ALL SELECT 1`)]);
      await loadManifestsIntoDuckDB(b2.conn, { root: b2.root, keys });
      assert.equal(Number((await rows(b2, `SELECT count(*) AS n FROM raw_log`))[0]!.n), 2, 'no primary key: nothing to deduplicate on');
      await manifest(b2, [await file(b2, 'mystery', `SELECT 1 AS id`)]);
      await assert.rejects(loadManifestsIntoDuckDB(b2.conn, { root: b2.root, keys }), /stream "mystery" is not in the catalog given to the loader/);
    } finally {
      await rm(b2.root, { recursive: true, force: true });
    }
  } finally {
    await rm(b.root, { recursive: true, force: true });
  }
});

test('keys from configured and discovered catalogs; dedup SQL per dialect', () => {
  const schema = { type: 'object' };
  const configured = streamKeysFromCatalog({ streams: [
    { stream: { name: 'people', namespace: 'cio', json_schema: schema, supported_sync_modes: ['incremental'], source_defined_primary_key: [['x']] },
      sync_mode: 'incremental', destination_sync_mode: 'append', primary_key: [['internal_customer_id']], cursor_field: ['updated_at'] },
    { stream: { name: 'segments', json_schema: schema, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite', primary_key: [['id']] },
  ] });
  assert.deepEqual(Object.fromEntries(configured), {
    'cio.people': { primaryKey: ['internal_customer_id'], cursor: 'updated_at', perGeneration: false },
    segments: { primaryKey: ['id'], perGeneration: true },
  });
  assert.throws(() => streamKeysFromCatalog({ streams: [{ name: 'x', supported_sync_modes: ['incremental'], source_defined_primary_key: [['a', 'b']] }] }), /top-level columns only/);
  assert.throws(() => streamKeysFromCatalog({}), /not an Airbyte catalog/);
  const pg = { rowId: 'ctid', quoteIdent, quoteLiteral };
  const k = { primaryKey: ['id'], cursor: 'updated', perGeneration: false };
  assert.equal(dedupSql('t', 's', k, new Set(['id', 'updated', '_airbyte_extracted_at']), ["a'1"], pg),
    `DELETE FROM "t" WHERE ctid IN (SELECT s.r FROM (SELECT x.ctid AS r, row_number() OVER (PARTITION BY x."id" ORDER BY x."updated" DESC NULLS LAST, x."_airbyte_extracted_at" DESC NULLS LAST, x._cio_generation_id DESC, x.ctid DESC) AS n `
    + `FROM "t" x WHERE EXISTS (SELECT 1 FROM "t" y WHERE y._cio_file IN ('a''1') AND y."id" = x."id")) s WHERE s.n > 1)`);
  assert.equal(dedupSql('t', 's', { primaryKey: [], perGeneration: false }, new Set(['id']), ['f'], pg), undefined);
  assert.throws(() => dedupSql('t', 's', k, new Set(['updated']), ['f'], pg), /primary key column "id" in its catalog, but its files have no such column/);
  assert.throws(() => dedupSql('t', 's', k, new Set(['id']), ['f'], pg), /cursor "updated"/);
});
