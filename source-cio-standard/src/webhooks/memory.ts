// What a webhook stream remembers between syncs (journeys, outputs or metric pairs it emitted) is kept
// BESIDE the spool, not in Airbyte STATE: it can hold a month of ids. Each checkpoint writes a new
// snapshot object `memory/<stream>/<13-digit ms>-<random>.json.gz` (never overwritten) and the
// stream's STATE names it (`memory_key`). A sync that fails leaves an orphan snapshot that no state
// names, so a retry starts again from the committed one: memory and cursor always agree.
// Snapshots older than the one a sync starts from (and a day old) are deleted by that sync.
import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ObjectNotFoundError } from '@cio-dw/common';
import type { Logger, SpoolStore } from '@cio-dw/common';

export const MEMORY_PREFIX = 'memory/';
const GRACE_MS = 86_400_000;

export function memoryKey(stream: string, nowMs: number): string {
  return `${MEMORY_PREFIX}${stream}/${String(Math.trunc(nowMs)).padStart(13, '0')}-${randomBytes(4).toString('hex')}.json.gz`;
}

/** The snapshot's JSON, or undefined when there is none (first sync) or it is gone (warned). */
export async function loadMemory(store: SpoolStore, key: string | undefined, logger: Logger, signal?: AbortSignal): Promise<unknown> {
  if (key === undefined) return undefined;
  try {
    return JSON.parse(gunzipSync(await store.get(key, signal ? { signal } : {})).toString('utf8'));
  } catch (e) {
    if (!(e instanceof ObjectNotFoundError)) throw e;
    logger.warn(`cio webhooks: memory ${key} is gone (deleted by hand or a lifecycle rule?); starting with an empty memory, so some rows may repeat`);
    return undefined;
  }
}

export async function saveMemory(store: SpoolStore, stream: string, nowMs: number, json: unknown): Promise<string> {
  const key = memoryKey(stream, nowMs);
  await store.putNew(key, gzipSync(JSON.stringify(json), { level: 1 }), { contentType: 'application/gzip' });
  return key;
}

/** Deletes this stream's snapshots that sort before `current` and are more than a day old. */
export async function pruneMemory(store: SpoolStore, stream: string, current: string | undefined, nowMs: number): Promise<number> {
  if (current === undefined) return 0;
  const old: string[] = [];
  for await (const o of store.list(`${MEMORY_PREFIX}${stream}/`)) {
    if (o.key >= current) break;
    if (o.lastModified.getTime() < nowMs - GRACE_MS) old.push(o.key);
  }
  for (const k of old) await store.delete(k);
  return old.length;
}
