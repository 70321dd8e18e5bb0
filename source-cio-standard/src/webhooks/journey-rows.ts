// Webhook events → standard `subjects` and `outputs` rows (reference §1.3). A subject is one journey
// (subject_name = journey_id); an output is what one action of that journey produced. Webhooks only
// report messages, so only message outputs can be rebuilt. Left null because no webhook reveals them:
// subjects.trigger_id (unless data.trigger_id is sent), subjects.campaign_type (pass it from the
// campaigns stream), outputs.explanation, link_tracked, split_test_index, delay_ends_at, branch_index,
// manual_segment_id, add_to_manual_segment, and every non-message output (delays, branches, splits,
// attribute updates, segment changes). seq_num is null: it is Customer.io's own export sequence.
import { createHash } from 'node:crypto';
import type { Row } from '../transforms/delivery.js';
import { isoFromSeconds } from '../transforms/values.js';
import type { ReportingEvent } from './event.js';

/** Metrics that mean "this action produced this delivery" (the message output exists). */
export const OUTPUT_METRICS: readonly string[] = ['drafted', 'attempted', 'sent', 'failed', 'undeliverable'];

/** Stable output id: first 32 hex chars of sha256(journey_id NUL action_id NUL delivery_id). */
export function outputId(journeyId: string, actionId: number | null, deliveryId: string): string {
  return createHash('sha256').update(`${journeyId}\u0000${actionId ?? ''}\u0000${deliveryId}`).digest('hex').slice(0, 32);
}

/** The subject (journey) row an event reveals, or null when it has no journey_id. Time = this event's. */
export function subjectRow(e: ReportingEvent, workspaceId: number, campaignType: string | null = null): Row | null {
  if (e.journeyId === null) return null;
  const at = isoFromSeconds(e.timestampS);
  return {
    workspace_id: workspaceId,
    subject_name: e.journeyId,
    internal_customer_id: e.cioId,
    campaign_type: campaignType,
    campaign_id: e.campaignId,
    event_id: e.triggerEventId,
    trigger_id: e.triggerId,
    started_campaign_at: at,
    created_at: at,
    seq_num: null,
  };
}

/**
 * Subjects emitted once per journey: for the journeys in `events` not in `emitted`, one row whose
 * started_campaign_at is the earliest event of that journey in the batch. Returns the new emitted set.
 */
export function newSubjectRows(
  events: readonly ReportingEvent[], emitted: ReadonlySet<string>, workspaceId: number,
  campaignTypeOf: (campaignId: number | null) => string | null = () => null,
): { rows: Row[]; emitted: Set<string> } {
  const next = new Set(emitted);
  const rows: Row[] = [];
  const ordered = [...events].sort((a, b) => a.timestampS - b.timestampS || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
  for (const e of ordered) {
    if (e.journeyId === null || next.has(e.journeyId)) continue;
    next.add(e.journeyId);
    rows.push(subjectRow(e, workspaceId, campaignTypeOf(e.campaignId))!);
  }
  return { rows, emitted: next };
}

/**
 * The output row an event reveals: a journey delivery drafted/attempted/sent/failed for an action.
 * Other metrics (opened, clicked…) reveal no output. `draft` is true for `drafted`; a later `sent` gives
 * the same output_id with draft false (the warehouse keeps the latest row per output_id).
 */
export function outputRows(e: ReportingEvent, workspaceId: number): Row[] {
  if (e.journeyId === null || e.deliveryId === null || !OUTPUT_METRICS.includes(e.metric)) return [];
  return [{
    workspace_id: workspaceId,
    output_id: outputId(e.journeyId, e.actionId, e.deliveryId),
    subject_name: e.journeyId,
    output_type: e.objectType,
    action_id: e.actionId,
    explanation: null,
    delivery_id: e.deliveryId,
    draft: e.metric === 'drafted',
    link_tracked: null,
    split_test_index: null,
    delay_ends_at: null,
    branch_index: null,
    manual_segment_id: null,
    add_to_manual_segment: null,
    created_at: isoFromSeconds(e.timestampS),
    seq_num: null,
  }];
}

/** Output rows emitted once per (output_id, draft): duplicates and attempted+sent collapse; drafted then sent gives two. */
export function newOutputRows(events: readonly ReportingEvent[], emitted: ReadonlySet<string>, workspaceId: number): { rows: Row[]; emitted: Set<string> } {
  const next = new Set(emitted);
  const rows: Row[] = [];
  const ordered = [...events].sort((a, b) => a.timestampS - b.timestampS || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
  for (const e of ordered) {
    for (const r of outputRows(e, workspaceId)) {
      const key = `${String(r['output_id'])}:${r['draft'] ? 'draft' : 'final'}`;
      if (next.has(key)) continue;
      next.add(key);
      rows.push(r);
    }
  }
  return { rows, emitted: next };
}
