// Manifest objects (pure): one per flush batch, listing the files written since the previous one,
// so a loader can load exactly those files once; the final one marks streams (and overwrite
// generations) complete.
import type { Column } from './formats/columns.js';
import { KIND_SQL } from './formats/columns.js';

export const MANIFEST_VERSION = 1;

export interface ManifestFile {
  stream: string;
  namespace: string | null;
  key: string;
  rows: number;
  bytes: number;
  format: string;
  compression: string;
  schema_fingerprint: string;
  sync_id: number;
  generation_id: number;
}

export interface StreamCompletion {
  stream: string;
  namespace: string | null;
  destination_sync_mode: string;
  sync_id: number;
  generation_id: number;
  minimum_generation_id: number;
  /** Rows written for this stream by this sync. */
  rows: number;
  /** For overwrite streams: this generation is complete and replaces older ones. */
  generation_complete: boolean;
}

export interface Manifest {
  manifest_version: number;
  sequence: string;
  written_at: string;
  final: boolean;
  files: ManifestFile[];
  /** Column layouts by schema fingerprint, for the files listed. */
  schemas: Record<string, { name: string; type: string }[]>;
  /** Present in the final manifest of a sync. */
  streams?: StreamCompletion[];
}

export function buildManifest(args: {
  sequence: string; writtenAtMs: number; files: ManifestFile[]; layouts: Map<string, readonly Column[]>;
  streams?: StreamCompletion[];
}): Manifest {
  const schemas: Manifest['schemas'] = {};
  for (const f of args.files) {
    const cols = args.layouts.get(f.schema_fingerprint);
    if (cols && !schemas[f.schema_fingerprint]) schemas[f.schema_fingerprint] = cols.map((c) => ({ name: c.name, type: KIND_SQL[c.kind] }));
  }
  return {
    manifest_version: MANIFEST_VERSION,
    sequence: args.sequence,
    written_at: new Date(args.writtenAtMs).toISOString(),
    final: args.streams !== undefined,
    files: args.files,
    schemas,
    ...(args.streams ? { streams: args.streams } : {}),
  };
}

export function manifestBytes(m: Manifest): Uint8Array {
  return Buffer.from(JSON.stringify(m) + '\n', 'utf8');
}
