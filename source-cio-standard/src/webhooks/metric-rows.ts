// Webhook events → standard `metrics` rows with the same event_id rule as the App API path:
// the FIRST event of a (delivery, metric) gets metricEventId(delivery, metric); each later event of
// the pair (second open, further clicks) gets repeatMetricEventId(delivery, metric, webhook event_id).
// "First" = no earlier event of the pair has been seen, in this batch (ordered by time) or in the
// seen-pairs state; see README.md for the exact rule and its limits.
import { createHash } from 'node:crypto';
import type { Row } from '../transforms/delivery.js';
import { metricEventId, UNKNOWN_METRIC_DETAILS } from '../transforms/metric.js';
import { isoFromSeconds } from '../transforms/values.js';
import type { ReportingEvent } from './event.js';
import type { PairSeen, SeenPairs } from './seen-pairs.js';

export type MetricOccurrence = 'first' | 'repeat';

/** Id of a non-first event of a pair: first 32 hex chars of sha256(delivery NUL metric NUL webhook event_id). */
export function repeatMetricEventId(deliveryId: string, metric: string, webhookEventId: string): string {
  return createHash('sha256').update(`${deliveryId}\u0000${metric}\u0000${webhookEventId}`).digest('hex').slice(0, 32);
}

/** The metrics row of a message event (null for `customer` events, which have no delivery). */
export function metricRowFromEvent(e: ReportingEvent, workspaceId: number, occurrence: MetricOccurrence = 'first'): Row | null {
  if (e.deliveryId === null) return null;
  return {
    event_id: occurrence === 'first' ? metricEventId(e.deliveryId, e.metric) : repeatMetricEventId(e.deliveryId, e.metric, e.eventId),
    workspace_id: workspaceId,
    delivery_id: e.deliveryId,
    metric: e.metric,
    reason: e.failureMessage,
    link_id: e.linkId,
    link_url: e.href,
    created_at: isoFromSeconds(e.timestampS),
    seq_num: null,
    ...UNKNOWN_METRIC_DETAILS,
    prefetched: null,
    machine: e.machine, // reporting webhooks carry `machine` on clicks (journeys-webhooks.json)
  };
}

/**
 * first: emitted with the pair id. repeat: emitted with its own id. duplicate: this webhook event_id
 * was already emitted (redelivery). already_emitted: the App API path emitted this pair's first at
 * this very time. not_a_metric: no delivery (customer events).
 */
export type MetricDecisionKind = 'first' | 'repeat' | 'duplicate' | 'already_emitted' | 'not_a_metric';
export interface MetricDecision { eventId: string; kind: MetricDecisionKind }

/** Classify a batch against the state, in time order (ties by event_id); rows only for first and repeat. */
export function metricRowsFromEvents(events: readonly ReportingEvent[], workspaceId: number, state: SeenPairs): { rows: Row[]; decisions: MetricDecision[]; state: SeenPairs } {
  const next = new Map<string, PairSeen>(state);
  const ordered = [...events].sort((a, b) => a.timestampS - b.timestampS || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
  const { rows, decisions } = applyMetricEvents(ordered, workspaceId, next);
  return { rows, decisions, state: next };
}

/** The same rule on events already in time order, updating `seen` in place (for large memories). */
export function applyMetricEvents(ordered: readonly ReportingEvent[], workspaceId: number, seen: Map<string, PairSeen>): { rows: Row[]; decisions: MetricDecision[] } {
  const rows: Row[] = [];
  const decisions: MetricDecision[] = [];
  for (const e of ordered) {
    const decide = (kind: MetricDecisionKind): void => { decisions.push({ eventId: e.eventId, kind }); };
    if (e.deliveryId === null) { decide('not_a_metric'); continue; }
    const key = metricEventId(e.deliveryId, e.metric);
    const prior = seen.get(key);
    if (!prior) {
      seen.set(key, { firstTs: e.timestampS, firstEventId: e.eventId, repeats: [] });
      rows.push(metricRowFromEvent(e, workspaceId, 'first')!);
      decide('first');
    } else if (prior.firstEventId === e.eventId || prior.repeats.includes(e.eventId)) {
      decide('duplicate');
    } else if (prior.firstEventId === null && prior.firstTs === e.timestampS) {
      seen.set(key, { ...prior, firstEventId: e.eventId });
      decide('already_emitted');
    } else {
      seen.set(key, { ...prior, repeats: [...prior.repeats, e.eventId] });
      rows.push(metricRowFromEvent(e, workspaceId, 'repeat')!);
      decide('repeat');
    }
  }
  return { rows, decisions };
}
