// A stream of rows derived from the reporting-webhook spool, each emitted once: what was emitted is
// remembered (for `memory_days`, beside the spool) in a TimedSet that `rowsOnce` consults and updates.
import type { ReportingEvent } from '../webhooks/event.js';
import { readWebhookSpool, type WebhookCursor } from '../webhooks/spool-reader.js';
import { TimedSet } from '../webhooks/timed-set.js';
import { DAY_S, schemaOf, type CioStream } from './stream-kit.js';

export type RowsOnce = (events: readonly ReportingEvent[], emitted: TimedSet, workspaceId: number) => Record<string, unknown>[];

export function webhookOnceStream(name: string, primaryKey: string[][], rowsOnce: RowsOnce): CioStream<WebhookCursor> {
  return {
    name,
    jsonSchema: schemaOf(name),
    primaryKey,
    cursorField: ['created_at'],
    syncModes: ['full_refresh', 'incremental'],
    async *read(ctx) {
      const wh = ctx.config.reporting_webhooks;
      if (!wh) return;
      let emitted = new TimedSet();
      yield* readWebhookSpool(ctx, wh, ctx.state, {
        name,
        load: (json) => { emitted = TimedSet.fromJson(json); },
        rows: (events) => rowsOnce(events, emitted, ctx.config.workspace_id),
        save: () => { emitted.prune(wh.memory_days * DAY_S); return emitted.toJson(); },
        stateOf: (c) => c,
      });
    },
  };
}
