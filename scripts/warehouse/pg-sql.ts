// SQL text for the PostgreSQL loader (pure): column types and the bookkeeping tables.

/** A manifest (or DuckDB) column type as a PostgreSQL type; JSON text goes into jsonb. */
export function pgType(manifestType: string): string {
  const t = manifestType.trim().toUpperCase();
  if (/\(JSON TEXT\)$/.test(t) || t === 'JSON') return 'jsonb';
  switch (t.replace(/\s*\(.*\)\s*$/, '')) {
    case 'BIGINT': case 'INTEGER': case 'SMALLINT': case 'TINYINT': case 'UBIGINT': case 'UINTEGER': return 'bigint';
    case 'HUGEINT': return 'numeric';
    case 'DOUBLE': case 'FLOAT': case 'REAL': return 'double precision';
    case 'BOOLEAN': return 'boolean';
    case 'DATE': return 'date';
    case 'TIMESTAMP WITH TIME ZONE': case 'TIMESTAMPTZ': return 'timestamptz';
    case 'TIMESTAMP': return 'timestamp';
    default: return 'text';
  }
}

export const PG_BOOKKEEPING_SQL = [
  `CREATE TABLE IF NOT EXISTS _cio_loaded_manifests (location text NOT NULL, manifest_key text NOT NULL, sequence text, files integer, rows bigint, loaded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (location, manifest_key))`,
  `CREATE TABLE IF NOT EXISTS _cio_generations (location text NOT NULL, table_name text NOT NULL, stream text, destination_sync_mode text, generation_id bigint, minimum_generation_id bigint, sync_id bigint, manifest_key text, PRIMARY KEY (location, table_name))`,
];

export const PG_UPSERT_GENERATION = `INSERT INTO _cio_generations VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
  ON CONFLICT (location, table_name) DO UPDATE SET stream = EXCLUDED.stream, destination_sync_mode = EXCLUDED.destination_sync_mode,
  generation_id = EXCLUDED.generation_id, minimum_generation_id = EXCLUDED.minimum_generation_id, sync_id = EXCLUDED.sync_id, manifest_key = EXCLUDED.manifest_key`;
