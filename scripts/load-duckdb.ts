// Loads the files named in destination-bucket manifests into a DuckDB database file, exactly once.
// Usage: node --import tsx scripts/load-duckdb.ts --bucket ./demo-bucket/standard --catalog standard.catalog.json --db warehouse.duckdb [--prefix cio_]
// Rerun it after every sync (or on a schedule): only manifests it has not loaded yet are loaded, and
// each table keeps one row per primary key (the catalog's; `--catalog` pairs with `--bucket` in order).
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadManifestsIntoDuckDB } from './warehouse/duckdb-loader.js';
import { readStreamKeys } from './warehouse/stream-keys.js';

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { bucket: { type: 'string', multiple: true }, catalog: { type: 'string', multiple: true }, db: { type: 'string' }, prefix: { type: 'string', default: '' } }, strict: true }));
  } catch (e) {
    process.stderr.write(`load-duckdb: ${(e as Error).message}\n`);
    return 2;
  }
  if (!values.bucket?.length || !values.db || values.catalog?.length !== values.bucket.length) {
    process.stderr.write('usage: load-duckdb --bucket <folder with _manifests/> --catalog <catalog.json the sync used> [--bucket … --catalog …] --db <file.duckdb> [--prefix cio_]\n');
    return 2;
  }
  let keys;
  try {
    keys = await Promise.all(values.catalog.map((c) => readStreamKeys(c)));
  } catch (e) {
    process.stderr.write(`load-duckdb: ${(e as Error).message}\n`);
    return 2;
  }
  const instance = await DuckDBInstance.create(values.db);
  const conn = await instance.connect();
  try {
    for (const [i, root] of values.bucket.entries()) {
      const r = await loadManifestsIntoDuckDB(conn, { root, tablePrefix: values.prefix ?? '', keys: keys[i]! });
      const tables = Object.entries(r.tables).map(([t, n]) => `${t} +${n}`).join(', ') || 'nothing new';
      const dups = Object.entries(r.duplicatesRemoved).map(([t, n]) => `${t} -${n}`).join(', ');
      process.stdout.write(`load-duckdb: ${root}: ${r.manifests} manifest(s), ${r.files} file(s), ${r.rows} row(s): ${tables}${dups ? `; older versions/duplicates removed: ${dups}` : ''}\n`);
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
