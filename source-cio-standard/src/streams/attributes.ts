// `attributes`: one row per attribute change. First sync: every person's current attributes, each
// stamped with its own change time; later syncs: `attribute_change` activities, one row per changed
// attribute, and for each person created since (`profile_create`), that person's attributes as read at
// sync time (new-people.ts). Same cursor and ~30-day fallback as `people`.
import { attributeRowsOfActivity, attributeRowsOfCustomer } from '../transforms/person.js';
import { cursorAfterSnapshot, scanActivities, withinRetention } from './activity-scan.js';
import { attributeRowsOfNewPeople } from './new-people.js';
import { peopleSnapshot } from './people-snapshot.js';
import { isCursor, readPeopleState, type PeopleState } from './people-state.js';
import { schemaOf, type CioStream, type StreamDeps } from './stream-kit.js';

export function attributesStream(deps: StreamDeps): CioStream<PeopleState> {
  return {
    name: 'attributes',
    jsonSchema: schemaOf('attributes'),
    primaryKey: [['internal_customer_id'], ['attribute_name'], ['timestamp']],
    cursorField: ['timestamp'],
    syncModes: ['full_refresh', 'incremental'],
    async *read({ config, state: raw, logger }) {
      const state = readPeopleState('attributes', raw);
      const nowS = deps.nowS();
      const ws = config.workspace_id;
      if (isCursor(state) && withinRetention(state, nowS, config)) {
        const { activities, cursor, reread } = await scanActivities(deps.api, ['attribute_change', 'profile_create'], state, nowS, config, 'attributes');
        // A new person's attributes first; an attribute_change row with the same key is the same row.
        const emitted = new Set<string>();
        const key = (r: Record<string, unknown>) => `${String(r['internal_customer_id'])}\u0000${String(r['attribute_name'])}\u0000${String(r['timestamp'])}`;
        for (const row of await attributeRowsOfNewPeople(deps.api, activities.filter((a) => a['type'] === 'profile_create'), ws, deps.concurrency)) {
          emitted.add(key(row));
          yield { kind: 'record', data: row };
        }
        for (const a of activities) {
          if (a['type'] !== 'attribute_change') continue;
          for (const row of attributeRowsOfActivity(a, ws)) if (!emitted.has(key(row))) yield { kind: 'record', data: row };
        }
        if (reread) logger.info(`attributes: ${reread} activities re-read in the overlap were already handled (skipped)`);
        yield { kind: 'state', state: cursor };
        return;
      }
      if (isCursor(state)) logger.warn('attributes: the last sync is older than the ~30 days of activities the App API keeps; reading every person\'s attributes again');
      const resume = state && 'snapshot' in state ? state.snapshot : undefined;
      const shared = resume ? undefined : deps.peopleSnapshot?.fresh(nowS);
      const started = resume?.started_s ?? shared?.startedS ?? nowS;
      for await (const batch of shared?.batches ?? peopleSnapshot(deps.api, deps.concurrency, resume?.next)) {
        for (const c of batch.customers) for (const row of attributeRowsOfCustomer(c, ws)) yield { kind: 'record', data: row };
        if (batch.next) yield { kind: 'state', state: { snapshot: { started_s: started, next: batch.next } } };
      }
      yield { kind: 'state', state: cursorAfterSnapshot(started) };
    },
  };
}
