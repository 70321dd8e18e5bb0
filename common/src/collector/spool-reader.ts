// Reading the spool in key order between a cursor and an end time.
import { DamagedObjectError, decodeSpoolObject } from './spool-format.js';
import { keyTime, SPOOL_PREFIX } from './spool-keys.js';
import type { SpoolStore } from './spool-store.js';

export interface SpoolObjectRef {
  key: string;
  /** Key time (epoch ms): when the writer started the write. */
  time: number;
  /** When the store says the object was last modified (epoch ms): when the write landed. */
  modifiedMs: number;
}

/** Spool objects with key > `after` and key time < `beforeMs` (and key ≤ `upTo` when given), in key order. */
export async function* spoolObjects(
  store: SpoolStore, range: { after?: string; beforeMs?: number; upTo?: string; signal?: AbortSignal },
): AsyncGenerator<SpoolObjectRef> {
  const opts = { ...(range.after !== undefined ? { startAfter: range.after } : {}), ...(range.signal ? { signal: range.signal } : {}) };
  for await (const o of store.list(SPOOL_PREFIX, opts)) {
    if (range.upTo !== undefined && o.key > range.upTo) return;
    const t = keyTime(o.key);
    if (t === undefined) continue;
    if (range.beforeMs !== undefined && t >= range.beforeMs) return;
    yield { key: o.key, time: t, modifiedMs: o.lastModified.getTime() };
  }
}

/** The object's lines, or a DamagedObjectError naming the key. */
export async function readSpoolObject(store: SpoolStore, key: string, signal?: AbortSignal): Promise<string[]> {
  const bytes = await store.get(key, signal ? { signal } : {});
  try {
    return decodeSpoolObject(bytes);
  } catch (e) {
    if (e instanceof DamagedObjectError) throw new DamagedObjectError(`spool: object ${key} is damaged (${e.message})`);
    throw e;
  }
}
