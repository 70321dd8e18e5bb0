// `attributes`: one row per attribute change. First sync: every person's current attributes, each
// stamped with its own change time; later syncs: `attribute_change` activities, one row per changed
// attribute. Same cursor and ~30-day fallback as `people`.
import { attributeRowsOfActivity, attributeRowsOfCustomer } from '../transforms/person.js';
import { ACTIVITY_RETENTION_S, scanActivities } from './activity-scan.js';
import { peopleSnapshot } from './people-snapshot.js';
import type { PeopleState } from './people.js';
import { schemaOf, type CioStream, type StreamDeps } from './stream-kit.js';

export function attributesStream(deps: StreamDeps): CioStream<PeopleState> {
  return {
    name: 'attributes',
    jsonSchema: schemaOf('attributes'),
    primaryKey: [['internal_customer_id'], ['attribute_name'], ['timestamp']],
    cursorField: ['timestamp'],
    syncModes: ['full_refresh', 'incremental'],
    async *read({ config, state, logger }) {
      const nowS = deps.nowS();
      const ws = config.workspace_id;
      if (state && 'activity_at_s' in state && nowS - state.activity_at_s <= ACTIVITY_RETENTION_S) {
        const { activities, cursor } = await scanActivities(deps.api, ['attribute_change'], state, nowS);
        for (const a of activities) for (const row of attributeRowsOfActivity(a, ws)) yield { kind: 'record', data: row };
        yield { kind: 'state', state: cursor };
        return;
      }
      if (state && 'activity_at_s' in state) logger.warn('attributes: the last sync is older than the ~30 days of activities the App API keeps; reading every person\'s attributes again');
      const resume = state && 'snapshot' in state ? state.snapshot : undefined;
      const shared = resume ? undefined : deps.peopleSnapshot?.fresh(nowS);
      const started = resume?.started_s ?? shared?.startedS ?? nowS;
      for await (const batch of shared?.batches ?? peopleSnapshot(deps.api, deps.concurrency, resume?.next)) {
        for (const c of batch.customers) for (const row of attributeRowsOfCustomer(c, ws)) yield { kind: 'record', data: row };
        if (batch.next) yield { kind: 'state', state: { snapshot: { started_s: started, next: batch.next } } };
      }
      yield { kind: 'state', state: { activity_at_s: started, activity_ids: [] } };
    },
  };
}
