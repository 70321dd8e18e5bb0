// `outputs`: what an action of a journey produced, rebuilt from reporting-webhook events. Only message
// outputs are visible (drafted/attempted/sent/failed/undeliverable for an action in a journey); the
// columns no webhook reveals stay null (webhooks/journey-rows.ts). Emitted once per (output_id, draft):
// a draft later sent gives a second row with draft=false. Remembered for `memory_days` beside the spool.
import type { ReportingEvent } from '../webhooks/event.js';
import { outputRows } from '../webhooks/journey-rows.js';
import { readWebhookSpool, type WebhookCursor } from '../webhooks/spool-reader.js';
import { TimedSet } from '../webhooks/timed-set.js';
import { DAY_S, schemaOf, type CioStream } from './stream-kit.js';

export type OutputsState = WebhookCursor;

/** Pure: output rows of time-ordered events not yet in `emitted` (which it updates). */
export function outputRowsOnce(events: readonly ReportingEvent[], emitted: TimedSet, workspaceId: number): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const e of events) {
    for (const r of outputRows(e, workspaceId)) {
      const key = `${String(r['output_id'])}:${r['draft'] ? 'd' : 'f'}`;
      if (emitted.has(key)) continue;
      emitted.add(key, e.timestampS);
      rows.push(r);
    }
  }
  return rows;
}

export function outputsStream(): CioStream<OutputsState> {
  return {
    name: 'outputs',
    jsonSchema: schemaOf('outputs'),
    primaryKey: [['output_id']],
    cursorField: ['created_at'],
    syncModes: ['full_refresh', 'incremental'],
    async *read(ctx) {
      const wh = ctx.config.reporting_webhooks;
      if (!wh) return;
      let emitted = new TimedSet();
      yield* readWebhookSpool(ctx, wh, ctx.state, {
        name: 'outputs',
        load: (json) => { emitted = TimedSet.fromJson(json); },
        rows: (events) => outputRowsOnce(events, emitted, ctx.config.workspace_id),
        save: () => { emitted.prune(wh.memory_days * DAY_S); return emitted.toJson(); },
        stateOf: (c) => c,
      });
    },
  };
}
