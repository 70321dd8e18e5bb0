// Reads destination-bucket manifests (`<root>/_manifests/<sequence>.json`) from a local folder,
// in key order (= write order). Manifest shape: destination-bucket/docs/README.md.
import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ManifestFile {
  stream: string; namespace: string | null; key: string; rows: number; bytes: number;
  format: string; compression: string; schema_fingerprint: string; sync_id: number; generation_id: number;
}
export interface StreamCompletion {
  stream: string; namespace: string | null; destination_sync_mode: string; sync_id: number;
  generation_id: number; minimum_generation_id: number; rows: number; generation_complete: boolean;
}
export interface Manifest {
  manifest_version: number; sequence: string; written_at: string; final: boolean;
  files: ManifestFile[]; schemas: Record<string, { name: string; type: string }[]>; streams?: StreamCompletion[];
}
export interface ManifestEntry { key: string; manifest: Manifest }

export const MANIFEST_DIR = '_manifests';

/** Every manifest under `root`, sorted by key; `after` skips keys ≤ it. */
export async function listManifests(root: string, after?: string): Promise<ManifestEntry[]> {
  let names: string[];
  try {
    names = await readdir(join(root, MANIFEST_DIR));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const keys = names.filter((n) => n.endsWith('.json')).map((n) => `${MANIFEST_DIR}/${n}`).sort();
  const out: ManifestEntry[] = [];
  for (const key of keys) {
    if (after !== undefined && key <= after) continue;
    const manifest = JSON.parse(await readFile(join(root, key), 'utf8')) as Manifest;
    if (manifest.manifest_version !== 1) throw new Error(`warehouse: ${key} has manifest_version ${manifest.manifest_version}; this loader reads version 1`);
    out.push({ key, manifest });
  }
  return out;
}

export interface StreamFiles { stream: string; files: number; rows: number; bytes: number }

/** Pure: files, rows and bytes per stream over some manifests. */
export function summarize(entries: ManifestEntry[]): StreamFiles[] {
  const by = new Map<string, StreamFiles>();
  for (const { manifest } of entries) {
    for (const f of manifest.files) {
      const name = streamName(f.stream, f.namespace);
      const s = by.get(name) ?? { stream: name, files: 0, rows: 0, bytes: 0 };
      s.files++; s.rows += f.rows; s.bytes += f.bytes;
      by.set(name, s);
    }
  }
  return [...by.values()].sort((a, b) => a.stream.localeCompare(b.stream));
}

const streamName = (stream: string, namespace: string | null): string => (namespace ? `${namespace}.${stream}` : stream);

/**
 * Pure: per stream, the minimum_generation_id of the newest generation these manifests call complete.
 * Files of older generations are superseded: their rows go when that completion is loaded, and with
 * `superseded_generations: delete` the destination may already have deleted them.
 */
export function supersededBelow(entries: readonly ManifestEntry[]): Map<string, number> {
  const below = new Map<string, number>();
  for (const { manifest } of entries) {
    for (const s of manifest.streams ?? []) {
      if (!s.generation_complete) continue;
      const name = streamName(s.stream, s.namespace);
      below.set(name, Math.max(below.get(name) ?? -Infinity, Number(s.minimum_generation_id)));
    }
  }
  return below;
}

/**
 * The files of a manifest to load: all but those of a superseded generation that are gone (the
 * documented rule for a bucket written with `superseded_generations: delete`). A missing file of a
 * current generation stays in the list, so loading it fails loudly.
 */
export async function filesToLoad(root: string, manifest: Manifest, superseded: ReadonlyMap<string, number>): Promise<{ load: ManifestFile[]; gone: ManifestFile[] }> {
  const load: ManifestFile[] = [];
  const gone: ManifestFile[] = [];
  for (const f of manifest.files) {
    const below = superseded.get(streamName(f.stream, f.namespace));
    const isGone = below !== undefined && f.generation_id < below && !(await access(join(root, f.key)).then(() => true, () => false));
    (isGone ? gone : load).push(f);
  }
  return { load, gone };
}
