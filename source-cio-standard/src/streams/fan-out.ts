// Children of each parent (a campaign's actions, a newsletter's contents), fetched concurrently within
// the shared rate budget. Incremental: parents changed since the last sync are visited (a new parent's
// children are all emitted; for a changed parent, only children whose own change time moved). The API
// does not promise that editing a child moves its parent's `updated` (newsletter contents have no
// timestamps at all, only deduplicate_id = "id:timestamp"), so every `children_refresh_hours` a pass
// visits every parent and emits the children whose change time moved (and those with none at all):
// bounded cost, one request (or page chain) per parent per refresh. A parent deleted mid-sync answers
// 404: logged and skipped. Checkpoints after every parent.
import type { JsonObject } from '../client/cio-client.js';
import { mapOrdered } from '../client/concurrency.js';
import { childRow, itemDigest, updatedOf } from '../transforms/catalog.js';
import { normaliseId, toInt } from '../transforms/values.js';
import { schemaOf, type CioStream, type StreamDeps } from './stream-kit.js';

export interface FanOutState {
  /** Children with a change time ≤ this were emitted. */
  updated_s: number;
  /** Parents with `updated` ≤ this were visited. */
  parent_updated_s: number;
  /** When the last pass that visited every parent began (data clock, epoch s). */
  full_at_s?: number;
  /**
   * The children seen with change time `updated_s` ("parent id/child id" → hash of what was read).
   * Times are whole seconds: a child changed again in that second after the sync read it keeps the
   * same time, so the next visit compares the hash (states saved before this field re-emit them once).
   */
  at_cursor?: Record<string, string>;
  pass?: { done: Array<number | string>; max_updated_s: number; full?: boolean; started_s?: number; at_cursor?: Record<string, string> };
}

export interface FanOutSpec {
  name: string;
  parentLabel: string;
  /** Field the parent id is written to on each child row, e.g. `campaign_id`. */
  parentKey: string;
  parents: () => Promise<JsonObject[]>;
  children: (parentId: number | string) => Promise<JsonObject[] | undefined>;
}

export const DEFAULT_CHILDREN_REFRESH_HOURS = 24;


export function fanOutStream(spec: FanOutSpec, deps: StreamDeps): CioStream<FanOutState> {
  return {
    name: spec.name,
    jsonSchema: schemaOf(spec.name),
    primaryKey: [[spec.parentKey], ['id']],
    cursorField: ['updated'],
    syncModes: ['full_refresh', 'incremental'],
    async *read({ config, state, logger }) {
      const nowS = deps.nowS();
      const refreshS = (config.children_refresh_hours ?? DEFAULT_CHILDREN_REFRESH_HOURS) * 3600;
      const childAfter = state?.updated_s ?? Number.NEGATIVE_INFINITY;
      const parentAfter = state?.parent_updated_s ?? Number.NEGATIVE_INFINITY;
      // A pass visits every parent on the first sync and whenever the last such pass is older than the refresh period.
      const full = state?.pass?.full ?? (state === undefined || state.full_at_s === undefined || nowS - state.full_at_s >= refreshS);
      const startedS = state?.pass?.started_s ?? nowS;
      const done = new Set(state?.pass?.done ?? []);
      let maxChild = state?.pass?.max_updated_s ?? state?.updated_s ?? 0;
      const seen = state?.at_cursor ?? {};
      // The children at maxChild's second seen so far (a resumed pass goes on with its own).
      let atMax: Record<string, string> = { ...(state?.pass?.at_cursor ?? (maxChild === state?.updated_s ? seen : {})) };
      const all = await spec.parents();
      const parents = full ? all : all.filter((p) => updatedOf(p, 'updated') > parentAfter);
      const maxParent = all.reduce((m, p) => Math.max(m, updatedOf(p, 'updated')), state?.parent_updated_s ?? 0);
      const todo = parents.map((p) => ({ p, id: normaliseId(p['id']) })).filter((x): x is { p: JsonObject; id: number | string } => x.id !== null && !done.has(x.id));
      const base = {
        updated_s: state?.updated_s ?? 0, parent_updated_s: state?.parent_updated_s ?? 0,
        ...(state?.full_at_s !== undefined ? { full_at_s: state.full_at_s } : {}), ...(state?.at_cursor ? { at_cursor: state.at_cursor } : {}),
      };
      for await (const { p, id, children } of mapOrdered(todo, deps.concurrency, async (x) => ({ ...x, children: await spec.children(x.id) }))) {
        if (children === undefined) {
          logger.info(`${spec.name}: ${spec.parentLabel} ${id} was deleted during the sync (404); skipped`);
        } else {
          const isNew = (toInt(p['created']) ?? 0) > parentAfter;
          for (const c of children) {
            const u = updatedOf(c, 'updated');
            const key = `${id}/${String(c['id'])}`;
            let h: string | undefined;
            const hash = (): string => (h ??= itemDigest(c));
            if (u > 0 && u > maxChild) { maxChild = u; atMax = {}; }
            if (u > 0 && u === maxChild) atMax[key] = hash();
            // Unknown change time (0): only a new parent's or a refresh pass's children are emitted.
            // At the cursor second: unless read before and unchanged (same hash).
            if (!isNew && (u === 0 ? !full : u < childAfter || (u === childAfter && seen[key] === hash()))) continue;
            yield { kind: 'record', data: childRow(c, { [spec.parentKey]: id }) };
          }
        }
        done.add(id);
        yield { kind: 'state', state: { ...base, pass: { done: [...done], max_updated_s: maxChild, full, started_s: startedS, at_cursor: atMax } } };
      }
      yield { kind: 'state', state: { updated_s: maxChild, parent_updated_s: maxParent, ...(full ? { full_at_s: startedS } : base.full_at_s !== undefined ? { full_at_s: base.full_at_s } : {}), at_cursor: atMax } };
    },
  };
}
