// `people`: first sync reads every person (search + bulk attributes); later syncs only the people that
// changed, found through activities (attribute_change, profile_create, profile_delete). An identify
// that changes nothing leaves no activity, so it yields no row. A delete yields a row with deleted=true.
// If the activities a sync needs are older than the ~30 days /activities keeps, people are read in full
// again; the ids known before are compared with the current ones first, so people deleted during the
// gap get their deleted=true row (people-deletions.ts).
import type { JsonObject } from '../client/cio-client.js';
import { cioIdOf, deletedPersonRow, personRow } from '../transforms/person.js';
import { obj, toStr } from '../transforms/values.js';
import { cursorAfterSnapshot, rowKey, scanActivities, withinRetention } from './activity-scan.js';
import { EmittedKeys } from '../cursors/emitted-keys.js';
import { IdCollector, updateKnown, type KnownIdsJson } from './known-ids.js';
import { currentIds, vanished, vanishedPersonRow } from './people-deletions.js';
import { hydrate, peopleSnapshot } from './people-snapshot.js';
import { isCursor, readPeopleState, type PeopleState } from './people-state.js';
import { schemaOf, type CioStream, type StreamDeps } from './stream-kit.js';

export const PEOPLE_ACTIVITY_TYPES = ['attribute_change', 'profile_create', 'profile_delete'] as const;
export type { PeopleState, SnapshotState } from './people-state.js';

export function peopleStream(deps: StreamDeps): CioStream<PeopleState> {
  return {
    name: 'people',
    jsonSchema: schemaOf('people'),
    primaryKey: [['internal_customer_id']],
    cursorField: ['updated_at'],
    syncModes: ['full_refresh', 'incremental'],
    async *read({ config, state: raw, logger, syncMode }) {
      const state = readPeopleState('people', raw);
      const nowS = deps.nowS();
      const ws = config.workspace_id;
      if (isCursor(state) && withinRetention(state, nowS, config)) {
        const { activities, cursor, reread, memory } = await scanActivities(deps.api, PEOPLE_ACTIVITY_TYPES, state, nowS, config, 'people');
        const latest = new Map<string, JsonObject>(); // cio_id → latest activity (oldest-first input)
        for (const a of activities) {
          const id = toStr(obj(a['customer_identifiers'])['cio_id']);
          if (id) { latest.delete(id); latest.set(id, a); }
        }
        const deleted = [...latest.values()].filter((a) => a['type'] === 'profile_delete');
        const changed = [...latest.entries()].filter(([, a]) => a['type'] !== 'profile_delete').map(([id]) => id);
        for (const a of deleted) yield { kind: 'record', data: deletedPersonRow(a, ws) };
        const customers = new Map((await hydrate(deps.api, changed, deps.concurrency)).map((c) => [cioIdOf(c), c]));
        let again = 0;
        for (const id of changed) {
          const c = customers.get(id);
          if (!c) continue;
          const row = personRow(c, ws);
          // Read now, a person already shows later changes; the same row is not emitted for them again.
          const atS = Date.parse(String(row['updated_at'])) / 1000;
          if (memory.has(rowKey(id, atS), atS)) { again++; continue; }
          memory.add(rowKey(id, atS), atS);
          yield { kind: 'record', data: row };
        }
        if (again) logger.info(`people: ${again} people read again showed no change since their last row (skipped)`);
        if (reread) logger.info(`people: ${reread} activities re-read in the overlap were already handled (skipped)`);
        const known = state.known_ids
          ? updateKnown(state.known_ids, [...customers.keys()].filter((x): x is string => x !== null), deleted.map((a) => toStr(obj(a['customer_identifiers'])['cio_id']) ?? ''))
          : undefined;
        yield { kind: 'state', state: { ...cursor(), ...(known ? { known_ids: known } : {}) } };
        return;
      }
      let started = nowS;
      if (isCursor(state)) {
        logger.warn('people: the last sync is older than the ~30 days of activities the App API keeps; reading every person again');
        if (state.known_ids) {
          // People deleted during the gap left no activity we can still read: compare id sets.
          let n = 0;
          for (const id of vanished(state.known_ids, await currentIds(deps.api))) { n++; yield { kind: 'record', data: vanishedPersonRow(id, ws, started) }; }
          logger.info(`people: ${n} of the ${state.known_ids.count} people known before the gap are gone (emitted with deleted=true)`);
        } else {
          logger.warn('people: this state holds no list of known people (older version), so people deleted during the gap cannot be found');
        }
      }
      const resume = state && 'snapshot' in state ? state.snapshot : undefined;
      const shared = resume ? undefined : deps.peopleSnapshot?.fresh(started);
      started = resume?.started_s ?? shared?.startedS ?? started;
      const changedSince = new EmittedKeys(); // rows showing changes made after the snapshot started
      // A snapshot read whole in this sync names every person: its ids are the known set (no listing).
      const seen = resume ? undefined : new IdCollector();
      for await (const batch of shared?.batches ?? peopleSnapshot(deps.api, deps.concurrency, resume?.next)) {
        seen?.add(batch.customers.map(cioIdOf).filter((x): x is string => x !== null));
        for (const c of batch.customers) {
          const row = personRow(c, ws);
          const atS = Date.parse(String(row['updated_at'])) / 1000;
          if (atS > started) changedSince.add(rowKey(row['internal_customer_id'], atS), atS);
          yield { kind: 'record', data: row };
        }
        if (batch.next) yield { kind: 'state', state: { snapshot: { started_s: started, next: batch.next } } };
      }
      // The ids known from now on (people created after `started` also come through activities): the
      // snapshot's own ids, or, for a snapshot resumed from an earlier sync, a listing of every id; a full
      // refresh keeps no state, so it needs neither.
      const known: KnownIdsJson | undefined = syncMode !== 'incremental' ? undefined : seen ? seen.finish() : await currentIds(deps.api);
      yield { kind: 'state', state: { ...cursorAfterSnapshot(started, changedSince), ...(known ? { known_ids: known } : {}) } };
    },
  };
}
