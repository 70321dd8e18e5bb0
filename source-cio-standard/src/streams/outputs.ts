// `outputs`: what an action of a journey produced, rebuilt from reporting-webhook events. Only message
// outputs are visible (drafted/attempted/sent/failed/undeliverable for an action in a journey); the
// columns no webhook reveals stay null (webhooks/journey-rows.ts). Emitted once per (output_id, draft):
// a draft later sent gives a second row with draft=false. Remembered for `memory_days` beside the spool.
import type { ReportingEvent } from '../webhooks/event.js';
import { outputRows } from '../webhooks/journey-rows.js';
import type { WebhookCursor } from '../webhooks/spool-reader.js';
import type { TimedSet } from '../webhooks/timed-set.js';
import type { CioStream } from './stream-kit.js';
import { webhookOnceStream } from './webhook-once-stream.js';

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

export function outputsStream(): CioStream<WebhookCursor> {
  return webhookOnceStream('outputs', [['output_id']], outputRowsOnce);
}
