// Dedup keys per stream, taken from the catalog the sync used (pure): the primary key, the cursor that
// orders versions of one key, and whether rows are deduplicated within a generation only (overwrite).
// Accepts a configured catalog (`streams[].stream`, `primary_key`, `cursor_field`, the runner writes one
// beside its state file) or a discovered one (`source_defined_primary_key`, `default_cursor_field`).
import { readFile } from 'node:fs/promises';

export interface StreamKeys {
  /** Top-level columns of the primary key; empty = the stream has none (rows are appended as they are). */
  primaryKey: string[];
  /** Top-level cursor column (newest version wins), if the stream has one. */
  cursor?: string;
  /** Overwrite streams: each generation is a full copy, deduplicated on its own. */
  perGeneration: boolean;
}

/** Keys by stream name (`namespace.name` when the stream has a namespace). */
export type StreamKeyMap = ReadonlyMap<string, StreamKeys>;

export const streamId = (stream: string, namespace: string | null | undefined): string => (namespace ? `${namespace}.${stream}` : stream);

interface CatalogEntry {
  name?: string; namespace?: string; supported_sync_modes?: string[];
  source_defined_primary_key?: string[][]; default_cursor_field?: string[];
  stream?: CatalogEntry; primary_key?: string[][]; cursor_field?: string[]; destination_sync_mode?: string;
}

function topLevel(path: unknown, stream: string, what: string): string {
  if (!Array.isArray(path) || path.length !== 1 || typeof path[0] !== 'string' || path[0] === '') {
    throw new Error(`warehouse: stream "${stream}" has ${what} ${JSON.stringify(path)}; the loaders deduplicate on top-level columns only`);
  }
  return path[0];
}

/** Reads the dedup keys of every stream of a configured or discovered catalog. */
export function streamKeysFromCatalog(catalog: unknown, where = 'catalog'): Map<string, StreamKeys> {
  const streams = (catalog as { streams?: unknown })?.streams;
  if (!Array.isArray(streams)) throw new Error(`warehouse: ${where} is not an Airbyte catalog (no "streams" list)`);
  const out = new Map<string, StreamKeys>();
  for (const raw of streams as CatalogEntry[]) {
    const configured = raw.stream !== undefined;
    const s = configured ? raw.stream! : raw;
    if (typeof s.name !== 'string') throw new Error(`warehouse: ${where} has a stream without a name`);
    const pk = (configured ? raw.primary_key ?? s.source_defined_primary_key : s.source_defined_primary_key) ?? [];
    const cursor = configured ? raw.cursor_field ?? s.default_cursor_field : s.default_cursor_field;
    const perGeneration = configured ? raw.destination_sync_mode === 'overwrite' : !(s.supported_sync_modes ?? []).includes('incremental');
    out.set(streamId(s.name, s.namespace), {
      primaryKey: pk.map((p) => topLevel(p, s.name!, 'primary key path')),
      ...(cursor && cursor.length ? { cursor: topLevel(cursor, s.name, 'cursor field') } : {}),
      perGeneration,
    });
  }
  return out;
}

export async function readStreamKeys(path: string): Promise<Map<string, StreamKeys>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`warehouse: cannot read the catalog ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); pass the catalog the sync used (cio-sync writes <connection>.catalog.json beside its state file)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`warehouse: the catalog ${path} is not JSON: ${(e as Error).message}`);
  }
  return streamKeysFromCatalog(parsed, `the catalog ${path}`);
}

/** Keys of one stream of a manifest; a stream the catalog does not know is an error, not a silent append. */
export function keysFor(keys: StreamKeyMap, stream: string, namespace: string | null): StreamKeys {
  const k = keys.get(streamId(stream, namespace));
  if (!k) throw new Error(`warehouse: stream "${streamId(stream, namespace)}" is not in the catalog given to the loader (it has: ${[...keys.keys()].join(', ') || 'nothing'}); pass the catalog the sync used`);
  return k;
}
