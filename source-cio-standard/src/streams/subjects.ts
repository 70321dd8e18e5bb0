// `subjects`: one row per journey (a person's run through a campaign), rebuilt from reporting-webhook
// events that carry a journey_id (subject_name = journey_id). Emitted once per journey: the first
// event seen gives started_campaign_at. The journeys emitted in the last `memory_days` are remembered
// beside the spool (webhooks/memory.ts); a journey whose next event comes later than that is emitted
// again with the same subject_name (the warehouse keeps one row per key).
import type { ReportingEvent } from '../webhooks/event.js';
import { subjectRow } from '../webhooks/journey-rows.js';
import type { WebhookCursor } from '../webhooks/spool-reader.js';
import type { TimedSet } from '../webhooks/timed-set.js';
import type { CioStream } from './stream-kit.js';
import { webhookOnceStream } from './webhook-once-stream.js';

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

export function subjectsStream(): CioStream<WebhookCursor> {
  return webhookOnceStream('subjects', [['subject_name']], subjectRowsOnce);
}
