// Loads a crash world's bucket with both loaders (DuckDB in memory, and PostgreSQL in a fresh schema)
// and checks each against the ground truth.
import { DuckDBInstance } from '@duckdb/node-api';
import { catalogPathFor } from '@cio-dw/runner';
import type { TestPostgres } from '../postgres-test-server.js';
import { loadManifestsIntoDuckDB } from '../warehouse/duckdb-loader.js';
import { loadManifestsIntoPostgres } from '../warehouse/pg-loader.js';
import { readStreamKeys } from '../warehouse/stream-keys.js';
import { checkTables, groundTruth, type TableCheck } from './truth-check.js';
import type { World } from './world.js';

export interface LoaderResult { loader: string; checks: TableCheck[]; rowsRead: number; duplicatesRemoved: Record<string, number> }

export async function loadAndCheck(w: World, pg: TestPostgres, schema: string): Promise<LoaderResult[]> {
  const keys = await readStreamKeys(catalogPathFor(w.statePath));
  const truth = groundTruth(w.sim);
  const duck = await DuckDBInstance.create(':memory:');
  const conn = await duck.connect();
  const client = pg.client();
  try {
    const d = await loadManifestsIntoDuckDB(conn, { root: w.bucket, keys });
    const duckChecks = await checkTables(async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJS(), truth);
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`SET search_path TO ${schema}`);
    const p = await loadManifestsIntoPostgres(client, { root: w.bucket, keys, reader: conn });
    const pgChecks = await checkTables(async (sql) => (await client.query(sql)).rows as Record<string, unknown>[], truth);
    return [
      { loader: 'duckdb', checks: duckChecks, rowsRead: d.rows, duplicatesRemoved: d.duplicatesRemoved },
      { loader: 'postgres', checks: pgChecks, rowsRead: p.rows, duplicatesRemoved: p.duplicatesRemoved },
    ];
  } finally {
    await client.end().catch(() => {});
    conn.closeSync();
    duck.closeSync();
  }
}
