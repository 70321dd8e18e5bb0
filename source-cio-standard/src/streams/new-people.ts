// People created since the last sync (`profile_create` activities) have no `attribute_change` activity
// for the attributes they were created with: their current attributes are read (bulk, 100 a request)
// and emitted like a first sync's, each stamped with its own change time. People deleted again before
// the read are left out by the API (their delete reaches `people`).
import type { JsonObject } from '../client/cio-client.js';
import type { CioApi } from '../client/endpoints.js';
import type { Row } from '../transforms/delivery.js';
import { attributeRowsOfCustomer } from '../transforms/person.js';
import { obj, toStr } from '../transforms/values.js';
import { hydrate } from './people-snapshot.js';

export async function attributeRowsOfNewPeople(api: CioApi, creates: readonly JsonObject[], workspaceId: number, concurrency: number): Promise<Row[]> {
  const ids = [...new Set(creates.map((a) => toStr(obj(a['customer_identifiers'])['cio_id'])).filter((x): x is string => x !== null))];
  if (ids.length === 0) return [];
  return (await hydrate(api, ids, concurrency)).flatMap((c) => attributeRowsOfCustomer(c, workspaceId));
}
