// Retention by age: deletes spool objects whose key time AND modification time are both older than
// the retention; stops at the first newer key (keys sort in time order), so it never deletes newer ones.
import type { Logger } from '../logger.js';
import { keyTime, SPOOL_PREFIX } from './spool-keys.js';
import type { SpoolStore } from './spool-store.js';

export async function deleteExpired(store: SpoolStore, nowMs: number, retentionMs: number, logger: Logger): Promise<number> {
  const cutoff = nowMs - retentionMs;
  let deleted = 0;
  const expired: string[] = [];
  for await (const o of store.list(SPOOL_PREFIX)) {
    const t = keyTime(o.key);
    if (t === undefined) continue;
    if (t >= cutoff) break;
    if (o.lastModified.getTime() >= cutoff) continue;
    expired.push(o.key);
  }
  for (const key of expired) { await store.delete(key); deleted++; }
  if (deleted) logger.info(`spool: retention deleted ${deleted} object(s) older than ${new Date(cutoff).toISOString()}`);
  return deleted;
}
