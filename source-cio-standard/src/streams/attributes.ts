// `attributes`: one row per attribute change. First sync: every person's current attributes, each
// stamped with its own change time; later syncs: `attribute_change` activities, one row per changed
// attribute, and for each person created since (`profile_create`), that person's attributes as read at
// sync time (new-people.ts). Same cursor and ~30-day fallback as `people`.
import { attributeRowsOfActivity, attributeRowsOfCustomer } from '../transforms/person.js';
import { cursorAfterSnapshot, rowKey, scanActivities, withinRetention } from './activity-scan.js';
import { EmittedKeys } from '../cursors/emitted-keys.js';
import type { Row } from '../transforms/delivery.js';
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
        const { activities, cursor, reread, memory } = await scanActivities(deps.api, ['attribute_change', 'profile_create'], state, nowS, config, 'attributes');
        // A new person's attributes first. A row with a key already emitted (a new person read after a
        // later change, or a snapshot that already showed it) is the same row: not emitted again.
        const rows: Row[] = await attributeRowsOfNewPeople(deps.api, activities.filter((a) => a['type'] === 'profile_create'), ws, deps.concurrency);
        for (const a of activities) if (a['type'] === 'attribute_change') rows.push(...attributeRowsOfActivity(a, ws));
        for (const row of rows) {
          const atS = Date.parse(String(row['timestamp'])) / 1000;
          const k = rowKey(row['internal_customer_id'], row['attribute_name'], atS);
          if (memory.has(k, atS)) continue;
          memory.add(k, atS);
          yield { kind: 'record', data: row };
        }
        if (reread) logger.info(`attributes: ${reread} activities re-read in the overlap were already handled (skipped)`);
        yield { kind: 'state', state: cursor() };
        return;
      }
      if (isCursor(state)) logger.warn('attributes: the last sync is older than the ~30 days of activities the App API keeps; reading every person\'s attributes again');
      const resume = state && 'snapshot' in state ? state.snapshot : undefined;
      const shared = resume ? undefined : deps.peopleSnapshot?.fresh(nowS);
      const started = resume?.started_s ?? shared?.startedS ?? nowS;
      const changedSince = new EmittedKeys(); // rows of changes made after the snapshot started
      for await (const batch of shared?.batches ?? peopleSnapshot(deps.api, deps.concurrency, resume?.next)) {
        for (const c of batch.customers) {
          for (const row of attributeRowsOfCustomer(c, ws)) {
            const atS = Date.parse(String(row['timestamp'])) / 1000;
            if (atS > started) changedSince.add(rowKey(row['internal_customer_id'], row['attribute_name'], atS), atS);
            yield { kind: 'record', data: row };
          }
        }
        if (batch.next) yield { kind: 'state', state: { snapshot: { started_s: started, next: batch.next } } };
      }
      yield { kind: 'state', state: cursorAfterSnapshot(started, changedSince) };
    },
  };
}
