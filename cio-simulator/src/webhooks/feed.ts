// Which reporting events exist when: enumerates the events of the workspace's deliveries in a time
// window, in send order, and turns them into payloads. Shared by the sender and the ground truth.
import type { Workspace } from '../workspace.js';
import { compareEvents, MAX_EVENT_LAG_S, reportEventsOf, type ReportEvent } from '../generator/report-events.js';
import { Serializer } from '../server/serialize.js';
import { NO_QUIRKS } from '../options.js';
import { buildPayload, type ReportingWebhookEvent } from './payload.js';

/** 'all': the metrics map as the App API shows it (late metrics included); 'generated': late metrics left out. */
export type FeedMode = 'all' | 'generated';

export class ReportFeed {
  private readonly ser: Serializer;
  private drafts: Set<number> | undefined;
  constructor(private readonly ws: Workspace) { this.ser = new Serializer(ws, NO_QUIRKS); }

  /** Action ids whose sending state is `draft`: their deliveries start with a `drafted` event. */
  private draftActions(): Set<number> {
    if (!this.drafts) {
      const all = [...this.ws.catalog.campaigns, ...this.ws.catalog.broadcasts].flatMap((c) => c.actions);
      this.drafts = new Set(all.filter((a) => a.sending_state === 'draft').map((a) => a.id));
    }
    return this.drafts;
  }

  eventsOf(i: number, mode: FeedMode = 'all'): ReportEvent[] {
    const d = this.ws.delivery(i);
    const overlay = this.ws.metricOverlayOf(i) ?? {};
    let metrics: Record<string, number>;
    if (mode === 'all') metrics = { ...d.schedule, ...overlay };
    else {
      metrics = { ...d.schedule };
      for (const k of Object.keys(overlay)) delete metrics[k];
    }
    const draft = d.sender.action_id !== null && this.draftActions().has(d.sender.action_id);
    return reportEventsOf(this.ws.seed, d, metrics, draft);
  }

  /** Events with after < timestamp ≤ upTo, in send order (time, delivery, funnel order, occurrence). */
  between(after: number, upTo: number, mode: FeedMode = 'all'): ReportEvent[] {
    const ws = this.ws;
    const idx = new Set<number>();
    const lo = ws.firstDeliveryAtOrAfter(after - MAX_EVENT_LAG_S + 1);
    const hi = ws.firstDeliveryAtOrAfter(upTo + 1);
    for (let i = lo; i < hi; i++) idx.add(i);
    // Added deliveries may carry explicit metrics at any time; late metrics too (in 'all' mode).
    for (let i = ws.sizes.deliveries; i < ws.deliveryCount; i++) idx.add(i);
    if (mode === 'all') for (const i of ws.overlaidDeliveries()) idx.add(i);
    const out: ReportEvent[] = [];
    for (const i of idx) for (const e of this.eventsOf(i, mode)) if (e.timestamp > after && e.timestamp <= upTo) out.push(e);
    return out.sort(compareEvents);
  }

  payload(ev: ReportEvent): ReportingWebhookEvent {
    const d = this.ws.delivery(ev.deliveryIndex);
    const p = this.ws.person(d.personIndex);
    return buildPayload(this.ws.seed, d, p, ev, { recipient: this.ser.recipient(d, p) });
  }
}
