// Reading the spool object by object for a source: a fixed end (now − settle window), objects after
// the cursor in key order, each decoded to its lines. A damaged object can only be a write that never
// completed (so was never acknowledged): it is logged and skipped as a whole.
import type { Logger } from '../logger.js';
import { DamagedObjectError } from './spool-format.js';
import { readSpoolObject, spoolObjects } from './spool-reader.js';
import type { SpoolStore } from './spool-store.js';

export interface SpoolBatch { key: string; time: number; lines: string[] }

export async function* spoolBatches(
  store: SpoolStore, range: { after?: string; beforeMs?: number; upTo?: string; signal?: AbortSignal }, logger: Logger,
): AsyncGenerator<SpoolBatch> {
  for await (const o of spoolObjects(store, range)) {
    let lines: string[];
    try {
      lines = await readSpoolObject(store, o.key, range.signal);
    } catch (e) {
      if (!(e instanceof DamagedObjectError)) throw e;
      logger.warn(`${e.message}; skipped as a whole`);
      lines = [];
    }
    yield { key: o.key, time: o.time, lines };
  }
}
