// `delivery_contents`: GET /messages/{id}/archived_message per delivery, oldest first. Customer.io limits
// that endpoint to 100 requests a day, so the stream spends at most `archived_messages_per_day` a day
// (counted in its state across syncs), recognises the quota's 429 (no Retry-After) at once, and then
// checkpoints just before the first delivery not done and ends with a WARN; the next day's sync goes on
// from there. It never backs off on the quota, so other streams are not paused. Forgotten deliveries
// (content not retained) need no request; a 404 counts as one and is skipped. Incremental on created_at
// like `deliveries` (same settle, overlap and memory of emitted ids: cursors/created-cursor.ts).
import { CreatedCursor } from '../cursors/created-cursor.js';
import type { JsonObject } from '../client/cio-client.js';
import { deliveryContentRow } from '../transforms/delivery-content.js';
import { toBool, toInt } from '../transforms/values.js';
import { byCreatedThenId, remainingToday, type DeliveryContentsState, type Todo } from './content-budget.js';
import { DAY_S, deliveryWindows, schemaOf, type CioStream, type StreamDeps } from './stream-kit.js';

export type { DeliveryContentsState } from './content-budget.js';

export function deliveryContentsStream(deps: StreamDeps): CioStream<DeliveryContentsState> {
  return {
    name: 'delivery_contents',
    jsonSchema: schemaOf('delivery_contents'),
    primaryKey: [['delivery_id']],
    cursorField: ['created_at'],
    syncModes: ['full_refresh', 'incremental'],
    async *read({ config, state, logger }) {
      const perDay = config.archived_messages_per_day ?? 90;
      const quota = remainingToday(state, deps.nowS(), perDay);
      let used = quota.used;
      const cursor = new CreatedCursor('delivery_contents', config, state, (deps.messagesNowS ?? deps.nowS)());
      const stateAt = (doneS: number): DeliveryContentsState => ({ ...cursor.checkpoint(doneS), quota: { day: quota.day, used } });
      if (quota.left === 0) {
        logger.warn(`delivery_contents: today's budget of ${perDay} archived-message requests is used up; content of deliveries created after ${iso(cursor.state?.created_at_s ?? cursor.from - 1)} is read from the next UTC day on.`);
        if (state) yield { kind: 'state', state };
        return;
      }
      let missing = 0;
      let stopped: { why: 'budget' | 'quota'; before: Todo } | undefined;
      let checkpointed = false;
      for await (const { window: [, b], pages } of deliveryWindows(deps, cursor.from, cursor.until, config.window_days * DAY_S)) {
        const todo: (Todo & { m: JsonObject })[] = [];
        for await (const page of pages) {
          for (const m of page) {
            const id = m['id'];
            const created = toInt(m['created']);
            if (typeof id !== 'string' || created === null || toBool(m['forgotten'])) continue;
            if (!cursor.emittedBefore(id, created)) todo.push({ id, created, m });
          }
        }
        todo.sort(byCreatedThenId);
        const allowed = todo.slice(0, Math.max(0, perDay - used));
        // In groups of `concurrency`, each group settled before the next: no request is left in flight
        // when the stream stops (it would spend quota after the checkpoint).
        let done = 0;
        for (let g = 0; g < allowed.length && !stopped; g += deps.concurrency) {
          const group = allowed.slice(g, g + deps.concurrency);
          const results = await Promise.all(group.map((t) => deps.api.archivedMessage(t.id)));
          for (let k = 0; k < group.length; k++) {
            const t = group[k]!;
            const got = results[k]!;
            if (got.kind === 'quota') { stopped = { why: 'quota', before: t }; break; }
            used++;
            done++;
            cursor.firstTime(t.id, t.created);
            if (got.kind === 'found') yield { kind: 'record', data: { ...deliveryContentRow(got.message, t.m, config.workspace_id), created_at: new Date(t.created * 1000).toISOString() } };
            else missing++;
          }
        }
        if (!stopped && done < todo.length) stopped = { why: 'budget', before: todo[done]! };
        if (stopped) break;
        checkpointed = true;
        yield { kind: 'state', state: stateAt(b) };
      }
      if (missing) logger.info(`delivery_contents: ${missing} deliveries had no archived content (404) and were skipped`);
      if (stopped) {
        // Everything created before the first delivery not done is done; the done ones of its second
        // are in the memory of emitted ids, so the next sync skips them.
        const at = iso(stopped.before.created - 1);
        logger.warn(stopped.why === 'quota'
          ? `delivery_contents: Customer.io's daily quota of archived-message requests (100 a day, shared by every client of the workspace) is used up after ${used} today; stopped at deliveries created after ${at}, the next UTC day's sync goes on from there.`
          : `delivery_contents: used today's budget of ${perDay} archived-message requests (archived_messages_per_day; Customer.io allows 100 a day); stopped at deliveries created after ${at}, the next UTC day's sync goes on from there.`);
        if (stopped.why === 'quota') used = perDay; // nothing more today, whatever others used
        yield { kind: 'state', state: stateAt(stopped.before.created - 1) };
      } else if (!checkpointed && cursor.state) yield { kind: 'state', state: stateAt(cursor.state.created_at_s) };
    },
  };
}

function iso(s: number): string {
  return new Date(Math.max(0, s) * 1000).toISOString();
}
