// Every person's current attributes, as batches with the token of the following batch (so the caller
// can checkpoint after each). Two paths:
// - search: match-all search (1000 ids a page) + bulk attributes (100 ids a request, concurrently);
// - exports (./people-export.ts): for workspaces whose cached person count reaches the configured
//   threshold, one export file streamed in batches of 1000: a handful of requests whatever the size.
// A resume token says which path it belongs to. The path's options are registered per CioApi by the
// source (configurePeopleSnapshot), so callers keep calling peopleSnapshot(api, concurrency, start).
import type { JsonObject } from '../client/cio-client.js';
import { listOf } from '../client/cio-client.js';
import { mapOrdered } from '../client/concurrency.js';
import { LIMITS, type CioApi } from '../client/endpoints.js';
import { toStr } from '../transforms/values.js';
import { chunks } from '../client/chunks.js';
import { exportSnapshot, parseExportToken, type ExportOptions } from './people-export.js';

import type { SnapshotBatch } from './snapshot-batch.js';

export type { SnapshotBatch } from './snapshot-batch.js';

export interface PeopleSnapshotOptions extends ExportOptions {
  workspaceId: number;
  /** Use the exports path when the workspace's person count is at least this (0: always; Infinity: never). */
  exportThreshold: number;
  log?: (message: string) => void;
}

const optionsOf = new WeakMap<CioApi, PeopleSnapshotOptions>();

/** Registers the exports path for snapshots read through this api (done once per sync by the source). */
export function configurePeopleSnapshot(api: CioApi, o: PeopleSnapshotOptions): void {
  optionsOf.set(api, o);
}

export async function* peopleSnapshot(api: CioApi, concurrency: number, start?: string): AsyncGenerator<SnapshotBatch> {
  const o = optionsOf.get(api);
  if (o && parseExportToken(start)) { yield* exportSnapshot(api, o, start); return; }
  if (o && start === undefined && Number.isFinite(o.exportThreshold)) {
    const count = o.exportThreshold <= 0 ? 0 : await api.peopleCount(o.workspaceId);
    if (count !== undefined && count >= o.exportThreshold) {
      o.log?.(`people: the workspace has about ${count} people (≥ people_export_threshold ${o.exportThreshold}): reading them through one export (POST /exports/customers) instead of ${Math.ceil(count / 1000) + Math.ceil(count / 100)} search and attribute requests`);
      yield* exportSnapshot(api, o);
      return;
    }
  }
  yield* searchSnapshot(api, concurrency, start);
}

async function* searchSnapshot(api: CioApi, concurrency: number, start?: string): AsyncGenerator<SnapshotBatch> {
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
