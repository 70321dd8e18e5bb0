// `subjects`: one row per journey (a person's run through a campaign), rebuilt from reporting-webhook
// events that carry a journey_id (subject_name = journey_id). Emitted once per journey: the first
// event seen gives started_campaign_at. The journeys emitted in the last `memory_days` are remembered
// beside the spool (webhooks/memory.ts); a journey whose next event comes later than that is emitted
// again with the same subject_name (the warehouse keeps one row per key).
import type { ReportingEvent } from '../webhooks/event.js';
import { subjectRow } from '../webhooks/journey-rows.js';
import { readWebhookSpool, type WebhookCursor } from '../webhooks/spool-reader.js';
import { TimedSet } from '../webhooks/timed-set.js';
import { DAY_S, schemaOf, type CioStream } from './stream-kit.js';

export type SubjectsState = WebhookCursor;

/** Pure: the subject rows of time-ordered events for journeys not in `emitted` (which it updates). */
export function subjectRowsOnce(events: readonly ReportingEvent[], emitted: TimedSet, workspaceId: number): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const e of events) {
    if (e.journeyId === null || emitted.has(e.journeyId)) continue;
    emitted.add(e.journeyId, e.timestampS);
    rows.push(subjectRow(e, workspaceId)!);
  }
  return rows;
}

export function subjectsStream(): CioStream<SubjectsState> {
  return {
    name: 'subjects',
    jsonSchema: schemaOf('subjects'),
    primaryKey: [['subject_name']],
    cursorField: ['created_at'],
    syncModes: ['full_refresh', 'incremental'],
    async *read(ctx) {
      const wh = ctx.config.reporting_webhooks;
      if (!wh) return;
      let emitted = new TimedSet();
      yield* readWebhookSpool(ctx, wh, ctx.state, {
        name: 'subjects',
        load: (json) => { emitted = TimedSet.fromJson(json); },
        rows: (events) => subjectRowsOnce(events, emitted, ctx.config.workspace_id),
        save: () => { emitted.prune(wh.memory_days * DAY_S); return emitted.toJson(); },
        stateOf: (c) => c,
      });
    },
  };
}
