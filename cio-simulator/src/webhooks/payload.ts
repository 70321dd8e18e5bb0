// The wire form of a reporting webhook: payload JSON, event id and the X-CIO-Signature scheme
// (hex HMAC-SHA256 of `v0:<X-CIO-Timestamp>:<raw body>` with the webhook's signing key, reference §3.4).
import { createHmac } from 'node:crypto';
import { ulid, STREAM } from '../rng.js';
import { metricRank, OBJECT_TYPE, type ObjectType, type ReportEvent } from '../generator/report-events.js';
import { journeyIdOf } from '../generator/journeys.js';
import type { Delivery } from '../generator/deliveries.js';
import type { Person } from '../generator/people.js';

export interface ReportingWebhookEvent {
  event_id: string;
  object_type: ObjectType;
  metric: string;
  timestamp: number;
  data: Record<string, unknown>;
}

/**
 * The webhook event id of occurrence `occurrence` (0 = first) of `metric` for delivery number `deliveryIndex`
 * at `timestampS`: a ULID whose time part is the event time, the rest derived from (seed, delivery, metric, occurrence).
 */
export function reportingEventId(seed: number, deliveryIndex: number, metric: string, occurrence: number, timestampS: number): string {
  return ulid(timestampS * 1000, seed, STREAM.report, deliveryIndex * 1024 + metricRank(metric) * 64 + Math.min(occurrence, 63));
}

/** Hex HMAC-SHA256 of `v0:<timestamp>:<body>`: the X-CIO-Signature header value. */
export function signReporting(body: string | Buffer, timestampS: number | string, signingKey: string): string {
  return createHmac('sha256', signingKey).update(`v0:${timestampS}:`).update(body).digest('hex');
}

/** The JSON payload Customer.io would POST for event `ev` of delivery `d` sent to person `p`. Null ids are left out. */
export function buildPayload(seed: number, d: Delivery, p: Person, ev: ReportEvent, extra: { recipient: string }): ReportingWebhookEvent {
  const s = d.sender;
  const data: Record<string, unknown> = {
    customer_id: p.id,
    identifiers: { id: p.id, email: p.email, cio_id: p.cio_id },
    delivery_id: d.id,
  };
  const ids: Array<[string, unknown]> = [
    ['campaign_id', s.campaign_id], ['broadcast_id', s.broadcast_id], ['action_id', s.action_id],
    ['newsletter_id', s.newsletter_id], ['content_id', s.content_id], ['transactional_message_id', s.transactional_message_id],
    ['trigger_event_id', d.trigger_event_id], ['journey_id', journeyIdOf(seed, d)],
  ];
  for (const [k, v] of ids) if (v !== null) data[k] = v;
  data['recipient'] = extra.recipient;
  if (s.subject !== null) data['subject'] = s.subject;
  if (ev.href !== undefined) data['href'] = ev.href;
  if (ev.link_id !== undefined) data['link_id'] = ev.link_id;
  if (ev.machine !== undefined) data['machine'] = ev.machine;
  if (ev.failure_message !== undefined) data['failure_message'] = ev.failure_message;
  return {
    event_id: reportingEventId(seed, d.index, ev.metric, ev.occurrence, ev.timestamp),
    object_type: OBJECT_TYPE[s.type], metric: ev.metric, timestamp: ev.timestamp, data,
  };
}
