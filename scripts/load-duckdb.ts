// Loads the files named in destination-bucket manifests into a DuckDB database file, exactly once.
// Usage: node --import tsx scripts/load-duckdb.ts --bucket ./demo-bucket/standard --db warehouse.duckdb [--prefix cio_]
// Rerun it after every sync (or on a schedule): only manifests it has not loaded yet are loaded.
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadManifestsIntoDuckDB } from './warehouse/duckdb-loader.js';

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { bucket: { type: 'string', multiple: true }, db: { type: 'string' }, prefix: { type: 'string', default: '' } }, strict: true }));
  } catch (e) {
    process.stderr.write(`load-duckdb: ${(e as Error).message}\n`);
    return 2;
  }
  if (!values.bucket?.length || !values.db) {
    process.stderr.write('usage: load-duckdb --bucket <folder with _manifests/> [--bucket …] --db <file.duckdb> [--prefix cio_]\n');
    return 2;
  }
  const instance = await DuckDBInstance.create(values.db);
  const conn = await instance.connect();
  try {
    for (const root of values.bucket) {
      const r = await loadManifestsIntoDuckDB(conn, { root, tablePrefix: values.prefix ?? '' });
      const tables = Object.entries(r.tables).map(([t, n]) => `${t} +${n}`).join(', ') || 'nothing new';
      process.stdout.write(`load-duckdb: ${root}: ${r.manifests} manifest(s), ${r.files} file(s), ${r.rows} row(s): ${tables}\n`);
    }
    return 0;
  } catch (e) {
    process.stderr.write(`load-duckdb: ${(e as Error).message}\n`);
    return 1;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
