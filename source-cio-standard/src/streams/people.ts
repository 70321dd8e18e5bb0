// `people`: first sync reads every person (search + bulk attributes); later syncs only the people that
// changed, found through activities (attribute_change, profile_create, profile_delete). An identify
// that changes nothing leaves no activity, so it yields no row. A delete yields a row with deleted=true.
// If the activity cursor is older than the ~30 days /activities keeps, people are read in full again.
import type { JsonObject } from '../client/cio-client.js';
import { cioIdOf, deletedPersonRow, personRow } from '../transforms/person.js';
import { obj, toStr } from '../transforms/values.js';
import { ACTIVITY_RETENTION_S, scanActivities, type ActivityCursor } from './activity-scan.js';
import { hydrate, peopleSnapshot } from './people-snapshot.js';
import { schemaOf, type CioStream, type StreamDeps } from './stream-kit.js';

export const PEOPLE_ACTIVITY_TYPES = ['attribute_change', 'profile_create', 'profile_delete'] as const;

export interface SnapshotState { snapshot: { started_s: number; next: string } }
export type PeopleState = ActivityCursor | SnapshotState;

export function peopleStream(deps: StreamDeps): CioStream<PeopleState> {
  return {
    name: 'people',
    jsonSchema: schemaOf('people'),
    primaryKey: [['internal_customer_id']],
    cursorField: ['updated_at'],
    syncModes: ['full_refresh', 'incremental'],
    async *read({ config, state, logger }) {
      const nowS = deps.nowS();
      const ws = config.workspace_id;
      if (state && 'activity_at_s' in state && nowS - state.activity_at_s <= ACTIVITY_RETENTION_S) {
        const { activities, cursor } = await scanActivities(deps.api, PEOPLE_ACTIVITY_TYPES, state, nowS);
        const latest = new Map<string, JsonObject>(); // cio_id → latest activity (oldest-first input)
        for (const a of activities) {
          const id = toStr(obj(a['customer_identifiers'])['cio_id']);
          if (id) { latest.delete(id); latest.set(id, a); }
        }
        const deleted = [...latest.values()].filter((a) => a['type'] === 'profile_delete');
        const changed = [...latest.entries()].filter(([, a]) => a['type'] !== 'profile_delete').map(([id]) => id);
        for (const a of deleted) yield { kind: 'record', data: deletedPersonRow(a, ws) };
        const customers = new Map((await hydrate(deps.api, changed, deps.concurrency)).map((c) => [cioIdOf(c), c]));
        for (const id of changed) {
          const c = customers.get(id);
          if (c) yield { kind: 'record', data: personRow(c, ws) };
        }
        yield { kind: 'state', state: cursor };
        return;
      }
      if (state && 'activity_at_s' in state) logger.warn('people: the last sync is older than the ~30 days of activities the App API keeps; reading every person again');
      const resume = state && 'snapshot' in state ? state.snapshot : undefined;
      const shared = resume ? undefined : deps.peopleSnapshot?.fresh(nowS);
      const started = resume?.started_s ?? shared?.startedS ?? nowS;
      for await (const batch of shared?.batches ?? peopleSnapshot(deps.api, deps.concurrency, resume?.next)) {
        for (const c of batch.customers) yield { kind: 'record', data: personRow(c, ws) };
        if (batch.next) yield { kind: 'state', state: { snapshot: { started_s: started, next: batch.next } } };
      }
      yield { kind: 'state', state: { activity_at_s: started, activity_ids: [] } };
    },
  };
}
