// A per-read cache of decoded spool objects, so several streams reading the same spool range in one
// sync decode each object once. Bounded by bytes: once full it stops adding (the first objects of the
// range, which every stream reads first, stay cached; the rest are read again from the store).
import type { SpoolStore } from './spool-store.js';
import { readSpoolObject } from './spool-reader.js';

export class SpoolObjectCache<T> {
  private readonly entries = new Map<string, T>();
  private bytes = 0;
  /** Hits and misses since creation (for logs and tests). */
  readonly stats = { hits: 0, misses: 0 };

  /**
   * @param decode turns an object's lines into what streams need (e.g. lines grouped by call type).
   * @param maxBytes budget of decoded line bytes kept (default 64 MB; 0 disables the cache).
   */
  constructor(private readonly decode: (lines: string[]) => T, private readonly maxBytes = 64 * 1024 * 1024) {}

  /** The decoded object: from the cache, or read (and cached while the budget allows). Throws DamagedObjectError. */
  async get(store: SpoolStore, key: string, signal?: AbortSignal): Promise<T> {
    const id = `${store.describe()}\u0000${key}`;
    const hit = this.entries.get(id);
    if (hit !== undefined) { this.stats.hits++; return hit; }
    this.stats.misses++;
    const lines = await readSpoolObject(store, key, signal);
    const value = this.decode(lines);
    let size = 0;
    for (const l of lines) size += l.length + 1;
    if (this.bytes + size <= this.maxBytes) { this.entries.set(id, value); this.bytes += size; }
    return value;
  }
}
