// A list endpoint (campaigns, broadcasts, newsletters, segments) as an incremental stream on its
// `updated`/`updated_at` field. The App API has no server-side filter, so the list is read in full (one
// request, or a few pages) and only items changed since the cursor are emitted.
import type { JsonObject } from '../client/cio-client.js';
import { catalogRow, itemDigest, updatedOf } from '../transforms/catalog.js';
import { schemaOf, type CioStream } from './stream-kit.js';

export interface UpdatedState {
  updated_s: number;
  /**
   * The items whose change time is `updated_s`, by id, with a hash of what was read. Timestamps are
   * whole seconds: an item changed again in that second after the sync read it keeps the same
   * `updated`, so the next sync compares the hash (states saved before this field re-emit those items once).
   */
  at_cursor?: Record<string, string>;
}

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
      const seen = state?.at_cursor ?? {};
      const items = (await spec.fetch()).map((i) => ({ i, u: updatedOf(i, spec.cursor), id: String(i['id']) })).sort((a, b) => a.u - b.u);
      const max = items.reduce((m, x) => Math.max(m, x.u), state?.updated_s ?? 0);
      const atMax: Record<string, string> = {};
      for (const { i, u, id } of items) {
        if (u < after) continue;
        const h = u === after || u === max ? itemDigest(i) : '';
        if (u === max) atMax[id] = h;
        if (u === after && seen[id] === h) continue; // read before, unchanged
        yield { kind: 'record', data: catalogRow(i) };
      }
      yield { kind: 'state', state: { updated_s: max, at_cursor: atMax } };
    },
  };
}
