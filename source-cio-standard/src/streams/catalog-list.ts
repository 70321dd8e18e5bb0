// A list endpoint (campaigns, broadcasts, newsletters, segments) as an incremental stream on its
// `updated`/`updated_at` field. The App API has no server-side filter, so the list is read in full (one
// request, or a few pages) and only items changed since the cursor are emitted.
import type { JsonObject } from '../client/cio-client.js';
import { catalogRow, updatedOf } from '../transforms/catalog.js';
import { schemaOf, type CioStream } from './stream-kit.js';

export interface UpdatedState { updated_s: number }

export interface CatalogListSpec {
  name: string;
  cursor: 'updated' | 'updated_at';
  fetch: () => Promise<JsonObject[]>;
}

export function catalogListStream(spec: CatalogListSpec): CioStream<UpdatedState> {
  return {
    name: spec.name,
    jsonSchema: schemaOf(spec.name),
    primaryKey: [['id']],
    cursorField: [spec.cursor],
    syncModes: ['full_refresh', 'incremental'],
    async *read({ state }) {
      const after = state?.updated_s ?? Number.NEGATIVE_INFINITY;
      let max = state?.updated_s ?? 0;
      const items = (await spec.fetch()).map((i) => ({ i, u: updatedOf(i, spec.cursor) })).sort((a, b) => a.u - b.u);
      for (const { i, u } of items) {
        if (u <= after) continue;
        yield { kind: 'record', data: catalogRow(i) };
        max = Math.max(max, u);
      }
      yield { kind: 'state', state: { updated_s: max } };
    },
  };
}
