// Every person's current attributes: match-all search (1000 ids a page) + bulk attributes (100 ids a
// request, run concurrently within the rate limit). Yields one batch per search page with the token of
// the following page, so the caller can checkpoint after each batch.
import type { JsonObject } from '../client/cio-client.js';
import { listOf } from '../client/cio-client.js';
import { mapOrdered } from '../client/concurrency.js';
import { LIMITS, type CioApi } from '../client/endpoints.js';
import { toStr } from '../transforms/values.js';
import { chunks } from './stream-kit.js';

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
