// The configured catalog of a connection's syncs, kept beside its state file (`conn.state.json` →
// `conn.catalog.json`) so that warehouse loaders take each stream's primary key and cursor from what
// the sync used. Streams a later sync leaves out keep their last entry (their files stay in the bucket).
import { readFile } from 'node:fs/promises';
import type { ConfiguredAirbyteCatalog } from '@cio-dw/common';
import { writeFileAtomically } from './atomic-write.js';

export function catalogPathFor(statePath: string): string {
  return statePath.endsWith('.state.json') ? `${statePath.slice(0, -'.state.json'.length)}.catalog.json` : `${statePath}.catalog.json`;
}

/** Pure: the new catalog's streams, then the previous ones it does not name. */
export function mergeCatalogs(previous: ConfiguredAirbyteCatalog | undefined, next: ConfiguredAirbyteCatalog): ConfiguredAirbyteCatalog {
  const id = (s: ConfiguredAirbyteCatalog['streams'][number]) => `${s.stream.namespace ?? ''}.${s.stream.name}`;
  const named = new Set(next.streams.map(id));
  return { streams: [...next.streams, ...(previous?.streams ?? []).filter((s) => !named.has(id(s)))] };
}

export async function writeCatalogFile(path: string, catalog: ConfiguredAirbyteCatalog): Promise<void> {
  let previous: ConfiguredAirbyteCatalog | undefined;
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as ConfiguredAirbyteCatalog;
    if (Array.isArray(v?.streams)) previous = v;
  } catch { /* first sync, or unreadable: start again */ }
  await writeFileAtomically(path, JSON.stringify(mergeCatalogs(previous, catalog), null, 2) + '\n');
}
