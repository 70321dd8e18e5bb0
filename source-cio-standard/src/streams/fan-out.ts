// Children of each parent (a campaign's actions, a newsletter's contents), fetched concurrently within
// the shared rate budget. Incremental: only parents changed since the last sync are visited (a new
// parent's children are all emitted; for a changed parent, only children whose own `updated` moved).
// A parent deleted mid-sync answers 404: logged and skipped. Checkpoints after every parent.
import type { JsonObject } from '../client/cio-client.js';
import { mapOrdered } from '../client/concurrency.js';
import { catalogRow, updatedOf } from '../transforms/catalog.js';
import { normaliseId, toInt } from '../transforms/values.js';
import { schemaOf, type CioStream, type StreamDeps } from './stream-kit.js';

export interface FanOutState {
  /** Children with `updated` ≤ this were emitted. */
  updated_s: number;
  /** Parents with `updated` ≤ this were visited. */
  parent_updated_s: number;
  pass?: { done: Array<number | string>; max_updated_s: number };
}

export interface FanOutSpec {
  name: string;
  parentLabel: string;
  /** Field the parent id is written to on each child row, e.g. `campaign_id`. */
  parentKey: string;
  parents: () => Promise<JsonObject[]>;
  children: (parentId: number | string) => Promise<JsonObject[] | undefined>;
}

export function fanOutStream(spec: FanOutSpec, deps: StreamDeps): CioStream<FanOutState> {
  return {
    name: spec.name,
    jsonSchema: schemaOf(spec.name),
    primaryKey: [[spec.parentKey], ['id']],
    cursorField: ['updated'],
    syncModes: ['full_refresh', 'incremental'],
    async *read({ state, logger }) {
      const childAfter = state?.updated_s ?? Number.NEGATIVE_INFINITY;
      const parentAfter = state?.parent_updated_s ?? Number.NEGATIVE_INFINITY;
      const done = new Set(state?.pass?.done ?? []);
      let maxChild = state?.pass?.max_updated_s ?? state?.updated_s ?? 0;
      const parents = (await spec.parents()).filter((p) => updatedOf(p, 'updated') > parentAfter);
      const maxParent = parents.reduce((m, p) => Math.max(m, updatedOf(p, 'updated')), state?.parent_updated_s ?? 0);
      const todo = parents.map((p) => ({ p, id: normaliseId(p['id']) })).filter((x): x is { p: JsonObject; id: number | string } => x.id !== null && !done.has(x.id));
      for await (const { p, id, children } of mapOrdered(todo, deps.concurrency, async (x) => ({ ...x, children: await spec.children(x.id) }))) {
        if (children === undefined) {
          logger.info(`${spec.name}: ${spec.parentLabel} ${id} was deleted during the sync (404); skipped`);
        } else {
          const isNew = (toInt(p['created']) ?? 0) > parentAfter;
          for (const c of children) {
            const u = updatedOf(c, 'updated');
            if (!isNew && u <= childAfter) continue;
            maxChild = Math.max(maxChild, u);
            yield { kind: 'record', data: catalogRow(c, { [spec.parentKey]: id }) };
          }
        }
        done.add(id);
        yield { kind: 'state', state: { updated_s: state?.updated_s ?? 0, parent_updated_s: state?.parent_updated_s ?? 0, pass: { done: [...done], max_updated_s: maxChild } } };
      }
      yield { kind: 'state', state: { updated_s: maxChild, parent_updated_s: maxParent } };
    },
  };
}
