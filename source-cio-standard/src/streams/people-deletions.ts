// Deletions across a gap longer than the App API keeps activities (~30 days): the people stream keeps the
// set of ids it knew (known-ids.ts) and, before reading everyone again, lists every current id (match-all
// search, 1000 ids a request: no attributes) and marks the known ids that are gone as deleted.
import { listOf } from '../client/cio-client.js';
import type { CioApi } from '../client/endpoints.js';
import { isoFromSeconds, toStr } from '../transforms/values.js';
import type { Row } from '../transforms/delivery.js';
import { difference, IdCollector, idsOf, type KnownIdsJson } from './known-ids.js';

/** Every current person id, as a sorted run (one search request per 1000 people). */
export async function currentIds(api: CioApi): Promise<KnownIdsJson> {
  const c = new IdCollector();
  for await (const page of api.searchPeople()) {
    c.add(listOf(page.body, 'identifiers').map((i) => toStr(i['cio_id'])).filter((x): x is string => x !== null));
  }
  return c.finish();
}

/** Known ids that are no longer there, sorted. */
export function* vanished(known: KnownIdsJson, current: KnownIdsJson): Generator<string> {
  yield* difference(idsOf(known), idsOf(current));
}

/** The row of a person found deleted by comparing id sets: only the id is known; `updated_at` = when it was noticed. */
export function vanishedPersonRow(cioId: string, workspaceId: number, noticedS: number): Row {
  return {
    workspace_id: workspaceId, customer_id: null, internal_customer_id: cioId, deleted: true, suppressed: null,
    created_at: isoFromSeconds(0), updated_at: isoFromSeconds(noticedS), email_addr: null,
  };
}
