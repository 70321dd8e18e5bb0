// Deleting superseded generations (the spec's `superseded_generations: delete`): once a sync has
// completed a new generation of a stream (overwrite, or a refresh whose minimum_generation_id says
// older data goes) and its final manifest is durable, the data files of that stream's older
// generations, found through the manifests, are deleted. Manifests themselves are never deleted.
// Deleting a key that is already gone is not an error, so an interrupted deletion is finished by the
// next sync that completes a generation.
import type { Logger, ObjectStore } from '@cio-dw/common';
import type { Manifest } from './manifest.js';

export const MANIFEST_PREFIX = '_manifests/';

/** A stream whose files of generations below `below` are superseded. */
export interface Supersession { stream: string; namespace: string | null; below: number }

/** Pure: what a completed stream supersedes (nothing unless it completed and its threshold is > 0). */
export function supersession(s: { stream: string; namespace: string | null; destination_sync_mode: string; generation_id: number; minimum_generation_id: number }, completed: boolean): Supersession | undefined {
  if (!completed) return undefined;
  const below = Math.max(s.minimum_generation_id, s.destination_sync_mode === 'overwrite' ? s.generation_id : 0);
  return below > 0 ? { stream: s.stream, namespace: s.namespace, below } : undefined;
}

/** Pure: keys of the data files listed in `manifests` that the supersessions cover. */
export function supersededFiles(manifests: Pick<Manifest, 'files'>[], targets: Supersession[]): string[] {
  const keys = new Set<string>();
  for (const m of manifests) {
    for (const f of m.files) {
      const t = targets.find((x) => x.stream === f.stream && x.namespace === (f.namespace ?? null));
      if (t && f.generation_id < t.below) keys.add(f.key);
    }
  }
  return [...keys];
}

/** Reads every manifest in the store and deletes the superseded data files; returns how many. */
export async function deleteSuperseded(store: ObjectStore, targets: Supersession[], logger: Logger): Promise<number> {
  if (!targets.length) return 0;
  const manifests: Manifest[] = [];
  for await (const o of store.list(MANIFEST_PREFIX)) {
    if (!o.key.endsWith('.json')) continue;
    manifests.push(JSON.parse(Buffer.from(await store.get(o.key)).toString('utf8')) as Manifest);
  }
  const keys = supersededFiles(manifests, targets);
  for (const key of keys) await store.delete(key);
  const what = targets.map((t) => `${t.namespace ? `${t.namespace}.` : ''}${t.stream} (generations < ${t.below})`).join(', ');
  logger.info(`bucket: deleted ${keys.length} file(s) of superseded generations: ${what}`);
  return keys.length;
}
