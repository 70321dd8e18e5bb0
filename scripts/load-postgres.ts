// Loads the files named in destination-bucket manifests into PostgreSQL, exactly once, one row per
// primary key (same bookkeeping and dedup as load-duckdb.ts; see docs/warehouse-loading.md).
// Usage: PGHOST=… PGUSER=… PGPASSWORD=… PGDATABASE=… node --import tsx scripts/load-postgres.ts \
//          --bucket ./demo-bucket/standard --catalog standard.catalog.json [--bucket … --catalog …] [--prefix cio_] [--schema cio]
// The server is taken from the standard PG* environment variables or DATABASE_URL (never from the
// command line, where other users could read a password).
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { loadManifestsIntoPostgres } from './warehouse/pg-loader.js';
import { quoteIdent } from './warehouse/sql.js';
import { readStreamKeys } from './warehouse/stream-keys.js';

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { bucket: { type: 'string', multiple: true }, catalog: { type: 'string', multiple: true }, prefix: { type: 'string', default: '' }, schema: { type: 'string' } }, strict: true }));
  } catch (e) {
    process.stderr.write(`load-postgres: ${(e as Error).message}\n`);
    return 2;
  }
  if (!values.bucket?.length || values.catalog?.length !== values.bucket.length) {
    process.stderr.write('usage: load-postgres --bucket <folder with _manifests/> --catalog <catalog.json the sync used> [--bucket … --catalog …] [--prefix cio_] [--schema name]  (server: PG* variables or DATABASE_URL)\n');
    return 2;
  }
  let keys;
  try {
    keys = await Promise.all(values.catalog.map((c) => readStreamKeys(c)));
  } catch (e) {
    process.stderr.write(`load-postgres: ${(e as Error).message}\n`);
    return 2;
  }
  const client = new pg.Client(env.DATABASE_URL ? { connectionString: env.DATABASE_URL } : {});
  const duck = await DuckDBInstance.create(':memory:');
  const reader = await duck.connect();
  try {
    await client.connect();
    if (values.schema) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(values.schema)}`);
      await client.query(`SET search_path TO ${quoteIdent(values.schema)}`);
    }
    for (const [i, root] of values.bucket.entries()) {
      const r = await loadManifestsIntoPostgres(client, { root, tablePrefix: values.prefix ?? '', keys: keys[i]!, reader });
      const tables = Object.entries(r.tables).map(([t, n]) => `${t} +${n}`).join(', ') || 'nothing new';
      const dups = Object.entries(r.duplicatesRemoved).map(([t, n]) => `${t} -${n}`).join(', ');
      process.stdout.write(`load-postgres: ${root}: ${r.manifests} manifest(s), ${r.files} file(s), ${r.rows} row(s): ${tables}${dups ? `; older versions/duplicates removed: ${dups}` : ''}\n`);
    }
    return 0;
  } catch (e) {
    // pg's errors name host, user and database but never the password.
    process.stderr.write(`load-postgres: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await client.end().catch(() => {});
    reader.closeSync();
    duck.closeSync();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
