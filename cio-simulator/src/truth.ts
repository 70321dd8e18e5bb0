// Ground truth for tests: what the workspace holds right now, in quirk-free API shapes.
import { NO_QUIRKS } from './options.js';
import type { Workspace } from './workspace.js';
import { Serializer } from './server/serialize.js';
import { clonePerson, type Person } from './generator/people.js';
import type { Action, Broadcast, Campaign, Newsletter, Segment } from './generator/catalog.js';
import { ACTIVITY_WINDOW_S } from './server/routes/activities.js';
import type { Realism } from './realism.js';
import type { PersonRef } from './control.js';
import { ReportFeed } from './webhooks/feed.js';
import type { ReportingWebhookEvent } from './webhooks/payload.js';
import { journeysOf, type JourneyTruth } from './webhooks/journey-truth.js';

type Json = Record<string, unknown>;

export class Truth {
  private readonly ser: Serializer;
  private readonly feed: ReportFeed;
  constructor(private readonly ws: Workspace, private readonly resolve: (ref: PersonRef) => number) {
    this.ser = new Serializer(ws, NO_QUIRKS);
    this.feed = new ReportFeed(ws);
  }
  get workspaceId(): number { return this.ws.id; }
  now(): number { return this.ws.now; }

  /** Every person in index order (deleted ones only with includeDeleted). Copies. */
  people(opts: { includeDeleted?: boolean } = {}): Person[] {
    const out: Person[] = [];
    for (let i = 0; i < this.ws.personCount; i++) {
      const p = this.ws.person(i);
      if (opts.includeDeleted || !p.deleted) out.push(clonePerson(p));
    }
    return out;
  }
  person(ref: PersonRef): Person { return clonePerson(this.ws.person(this.resolve(ref))); }
  /** The `POST /customers/attributes` item for a person (attributes, timestamps, identifiers…). */
  customer(ref: PersonRef): Json { return this.ser.customer(this.ws.person(this.resolve(ref))); }

  campaigns(opts: { includeDeleted?: boolean } = {}): Campaign[] {
    return structuredClone(this.ws.catalog.campaigns.filter((c) => opts.includeDeleted || !c.deleted));
  }
  /** Actions of a campaign (numeric ids). */
  campaignActions(campaignId: number): Action[] {
    return structuredClone(this.ws.catalog.campaigns.find((c) => c.id === campaignId)?.actions ?? []);
  }
  broadcasts(): Broadcast[] { return structuredClone(this.ws.catalog.broadcasts); }
  newsletters(): Newsletter[] { return structuredClone(this.ws.catalog.newsletters); }
  segments(opts: { includeDeleted?: boolean } = {}): Segment[] {
    return structuredClone(this.ws.catalog.segments.filter((s) => opts.includeDeleted || !s.deleted));
  }
  /** cio_ids of a segment's members, in the order membership pages return them. */
  segmentMembers(segmentId: number): string[] {
    const s = this.ws.segment(segmentId);
    const out: string[] = [];
    if (!s) return out;
    for (let i = 0; i < this.ws.personCount; i++) if (this.ws.isMember(s, i)) out.push(this.ws.person(i).cio_id);
    return out;
  }

  deliveryCount(): number { return this.ws.deliveryCount; }
  /** Deliveries as GET /messages returns them (listed ones only, metrics as visible now), newest first, optionally within [from, to] (inclusive, creation time). */
  messages(opts: { from?: number; to?: number } = {}): Json[] {
    const lo = opts.from === undefined ? 0 : this.ws.firstDeliveryAtOrAfter(opts.from);
    const hi = opts.to === undefined ? this.ws.deliveryCount : this.ws.firstDeliveryAtOrAfter(opts.to + 1);
    const out: Json[] = [];
    for (let i = hi - 1; i >= lo; i--) {
      const d = this.ws.delivery(i);
      if (this.ws.deliveryVisible(d)) out.push(this.ser.message(d));
    }
    return out;
  }
  message(deliveryId: string): Json | undefined {
    const i = this.ws.deliveryIndexOf(deliveryId);
    return i === undefined ? undefined : this.ser.message(this.ws.delivery(i));
  }
  /** Every scheduled metric of a delivery, including those not yet visible (after now). */
  metricSchedule(deliveryId: string): Record<string, number> | undefined {
    const i = this.ws.deliveryIndexOf(deliveryId);
    return i === undefined ? undefined : { ...this.ws.delivery(i).schedule };
  }
  archivedMessage(deliveryId: string): Json | undefined {
    const i = this.ws.deliveryIndexOf(deliveryId);
    if (i === undefined) return undefined;
    const d = this.ws.delivery(i);
    return d.forgotten ? undefined : this.ser.archived(d);
  }

  /** Activities in the 30-day window, newest first, as GET /activities returns them; deleted people's only with includeDeleted. */
  activities(opts: { includeDeleted?: boolean; type?: string } = {}): Json[] {
    const lo = this.ws.firstActivityAtOrAfter(this.ws.now - ACTIVITY_WINDOW_S);
    const out: Json[] = [];
    for (let i = this.ws.activityCount - 1; i >= lo; i--) {
      const a = this.ws.activity(i);
      if (a.timestamp > this.ws.now) continue;
      if (!opts.includeDeleted && this.ws.person(a.personIndex).deleted) continue;
      if (opts.type !== undefined && a.type !== opts.type) continue;
      out.push(this.ser.activity(a));
    }
    return out;
  }

  /** Activities recorded but not listed by GET /activities yet (realism delays). */
  pendingActivities(): number { return this.ws.pendingActivities().length; }
  /** The realism in force (delays; `maxVisibilityDelay` tells how long to wait for everything to show). */
  get realism(): Realism { return { ...this.ws.realism }; }

  /** Every journey (campaign delivery runs) as of now, by start time. Scans all deliveries. */
  journeys(): JourneyTruth[] { return journeysOf(this.ws, this.feed); }
  /**
   * The reporting-webhook events with after < timestamp ≤ upTo (default: everything up to now), in send
   * order, as their payloads. Late metrics (control.addMetric) are included at their time.
   */
  webhookEvents(opts: { after?: number; upTo?: number } = {}): ReportingWebhookEvent[] {
    const upTo = Math.min(opts.upTo ?? this.ws.now, this.ws.now);
    return this.feed.between(opts.after ?? -1, upTo).map((e) => this.feed.payload(e));
  }
  /** The webhook event_id of occurrence `occurrence` (0 = first) of `metric` for a delivery, whether or not it has happened yet. */
  webhookEventId(deliveryId: string, metric: string, occurrence = 0): string | undefined {
    const i = this.ws.deliveryIndexOf(deliveryId);
    if (i === undefined) return undefined;
    const e = this.feed.eventsOf(i).find((x) => x.metric === metric && x.occurrence === occurrence);
    return e ? this.feed.payload(e).event_id : undefined;
  }
}
