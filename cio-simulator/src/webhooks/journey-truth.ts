// Ground truth of journeys: every campaign delivery grouped by journey id (see generator/journeys.ts).
import type { Workspace } from '../workspace.js';
import { journeyIdOf } from '../generator/journeys.js';
import type { ReportFeed } from './feed.js';

export interface JourneyTruth {
  journey_id: string;
  campaign_id: number;
  /** The person's cio_id (the standard `internal_customer_id`) and external id. */
  cio_id: string;
  customer_id: string | null;
  trigger_event_id: string | null;
  /** When the person entered the journey: creation time of its first delivery (epoch s). */
  started_at: number;
  /** Time of the journey's earliest reporting event that has happened by now (null if none yet): what a webhook consumer can see. */
  first_event_at: number | null;
  /** The journey's deliveries, oldest first. */
  deliveries: Array<{ delivery_id: string; action_id: number | null; created: number }>;
}

export function journeysOf(ws: Workspace, feed: ReportFeed): JourneyTruth[] {
  const byId = new Map<string, JourneyTruth>();
  for (let i = 0; i < ws.deliveryCount; i++) {
    const d = ws.delivery(i);
    const id = journeyIdOf(ws.seed, d);
    if (id === null || d.sender.campaign_id === null) continue;
    let j = byId.get(id);
    if (!j) {
      const p = ws.person(d.personIndex);
      j = {
        journey_id: id, campaign_id: d.sender.campaign_id, cio_id: p.cio_id, customer_id: p.id,
        trigger_event_id: d.trigger_event_id, started_at: d.created, first_event_at: null, deliveries: [],
      };
      byId.set(id, j);
    }
    j.started_at = Math.min(j.started_at, d.created);
    j.deliveries.push({ delivery_id: d.id, action_id: d.sender.action_id, created: d.created });
    const first = feed.eventsOf(i, 'all').find((e) => e.timestamp <= ws.now);
    if (first && (j.first_event_at === null || first.timestamp < j.first_event_at)) j.first_event_at = first.timestamp;
  }
  return [...byId.values()].sort((a, b) => a.started_at - b.started_at || (a.journey_id < b.journey_id ? -1 : 1));
}
