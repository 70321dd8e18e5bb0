// Every person's current attributes: match-all search (1000 ids a page) + bulk attributes (100 ids a
// request, run concurrently within the rate limit). Yields one batch per search page with the token of
// the following page, so the caller can checkpoint after each batch.
import type { JsonObject } from '../client/cio-client.js';
import { listOf } from '../client/cio-client.js';
import { mapOrdered } from '../client/concurrency.js';
import { LIMITS, type CioApi } from '../client/endpoints.js';
import { toStr } from '../transforms/values.js';
import { chunks } from '../client/chunks.js';

export interface SnapshotBatch { customers: JsonObject[]; next: string | undefined }

export async function* peopleSnapshot(api: CioApi, concurrency: number, start?: string): AsyncGenerator<{ customers: JsonObject[]; next: string | undefined }> {
  for await (const page of api.searchPeople(start)) {
    const ids = listOf(page.body, 'identifiers').map((i) => toStr(i['cio_id'])).filter((x): x is string => x !== null);
    const customers: JsonObject[] = [];
    for await (const batch of mapOrdered(chunks(ids, LIMITS.attributesIds), concurrency, (c) => api.customerAttributes(c))) customers.push(...batch);
    yield { customers, next: page.next };
  }
}

/** Current attributes of the given people (by cio_id), in chunks of 100 concurrently. Deleted people are absent. */
export async function hydrate(api: CioApi, cioIds: readonly string[], concurrency: number): Promise<JsonObject[]> {
  const out: JsonObject[] = [];
  for await (const batch of mapOrdered(chunks(cioIds, LIMITS.attributesIds), concurrency, (c) => api.customerAttributes(c))) out.push(...batch);
  return out;
}

/**
 * `people` and `attributes` each read every person on a first sync. Within one sync, the first complete
 * fresh snapshot (no resume token) is kept in memory, bounded by estimated bytes, and the other stream
 * replays it with that snapshot's start time as its own, instead of reading everyone again. A snapshot
 * that failed, was resumed from a token, or outgrew the bound is not kept: the other stream reads its own.
 */
export class SharedPeopleSnapshot {
  private kept: { startedS: number; batches: SnapshotBatch[] } | undefined;

  constructor(private readonly api: CioApi, private readonly concurrency: number, private readonly maxBytes: number) {}

  /** A fresh snapshot: its start time (`nowS` unless replayed) and its batches. */
  fresh(nowS: number): { startedS: number; batches: AsyncIterable<SnapshotBatch> } {
    const kept = this.kept;
    if (kept) return { startedS: kept.startedS, batches: (async function* () { yield* kept.batches; })() };
    return { startedS: nowS, batches: this.record(nowS) };
  }

  private async *record(startedS: number): AsyncGenerator<SnapshotBatch> {
    let batches: SnapshotBatch[] | undefined = this.maxBytes > 0 ? [] : undefined;
    let bytes = 0;
    for await (const batch of peopleSnapshot(this.api, this.concurrency)) {
      if (batches) {
        for (const c of batch.customers) bytes += JSON.stringify(c).length + 64;
        if (bytes > this.maxBytes) batches = undefined; else batches.push(batch);
      }
      yield batch;
    }
    if (batches && !this.kept) this.kept = { startedS, batches };
  }
}
