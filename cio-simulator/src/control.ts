// The in-process control API: move the clock and change the workspace between syncs.
import type { FaultRule } from './options.js';
import type { Workspace } from './workspace.js';
import type { Faults } from './server/faults.js';
import { deliveryActivityType, deliveryChannel } from './generator/activities.js';
import { generateDelivery } from './generator/deliveries.js';
import { cioIdOf, type Person } from './generator/people.js';
import type { Campaign, Sender } from './generator/catalog.js';
import { ReportFeed } from './webhooks/feed.js';
import { WebhookSender } from './webhooks/sender.js';
import type { WebhookSenderOptions } from './webhooks/options.js';

/** A person by cio_id (string form, `cio_` prefix optional) or by one identifier. */
export type PersonRef = string | { cio_id: string } | { id: string } | { email: string };

export interface AddDeliveriesOptions {
  count?: number;
  /** Creation time (epoch s, default now); must be ≤ now and ≥ the newest existing delivery. */
  created?: number;
  campaignId?: number;
  actionId?: number;
  newsletterId?: number;
  broadcastId?: number;
  person?: PersonRef;
  /** 'auto' (default): generated funnel relative to `created`, revealed as the clock passes; 'none'; or explicit metric → ts. */
  metrics?: 'auto' | 'none' | Record<string, number>;
}
export type CampaignPatch = Partial<Pick<Campaign, 'name' | 'description' | 'active' | 'state' | 'tags'>>;

export class Control {
  private readonly feed: ReportFeed;
  private readonly senders: WebhookSender[] = [];
  constructor(private readonly ws: Workspace, private readonly faults: Faults) { this.feed = new ReportFeed(ws); }

  /** Busy mode's hook: plays out the seconds that passed before `now` is read. */
  onNow: (() => void) | undefined;
  now(): number { this.onNow?.(); return this.ws.now; }
  advanceClock(seconds: number): number {
    if (!Number.isFinite(seconds) || seconds < 0) throw new Error('cio-simulator: advanceClock needs seconds ≥ 0');
    this.ws.now += Math.floor(seconds);
    this.ws.releaseActivities();
    for (const s of this.senders) s.clockMoved();
    return this.ws.now;
  }
  setFaults(rules: FaultRule[]): void { this.faults.set(rules); }

  /**
   * Start a reporting-webhook sender: from now on (or from `since`) every event of the workspace's deliveries
   * is POSTed to `url` as the clock passes it. Several senders may run at once.
   */
  sendWebhooks(options: WebhookSenderOptions): WebhookSender {
    const s = new WebhookSender(this.ws, this.feed, options);
    this.senders.push(s);
    return s;
  }
  /** Stop every sender (waits for requests in flight). */
  async stopWebhooks(): Promise<void> {
    await Promise.all(this.senders.splice(0).map((s) => s.stop()));
  }

  resolvePerson(ref: PersonRef): number {
    const ws = this.ws;
    const i = typeof ref === 'string' ? ws.findPerson('cio_id', ref)
      : 'cio_id' in ref ? ws.findPerson('cio_id', ref.cio_id)
        : 'id' in ref ? ws.findPerson('id', ref.id) : ws.findPerson('email', ref.email);
    if (i === undefined) throw new Error(`cio-simulator: no person ${JSON.stringify(ref)}`);
    return i;
  }

  /**
   * Set attributes (null removes one). Only real changes get a new timestamp and an
   * `attribute_change` activity; returns the names that changed (empty for a no-op update).
   */
  updatePerson(ref: PersonRef, attrs: Record<string, string | number | boolean | null>): string[] {
    const i = this.resolvePerson(ref);
    const current = this.ws.person(i);
    const changed: Record<string, { from: string | null; to: string | null }> = {};
    for (const [k, raw] of Object.entries(attrs)) {
      const to = raw === null ? null : String(raw);
      const from = current.attributes[k] ?? null;
      if (from !== to) changed[k] = { from, to };
    }
    const names = Object.keys(changed);
    if (names.length === 0) return [];
    const p = this.ws.editablePerson(i);
    for (const [k, { to }] of Object.entries(changed)) {
      if (to === null) delete p.attributes[k]; else p.attributes[k] = to;
      p.timestamps[k] = this.ws.now;
      if (k === 'email') p.email = to;
      if (k === 'id') p.id = to;
      if (k === 'unsubscribed') p.unsubscribed = to === 'true';
    }
    this.ws.reindex(p);
    this.activity('attribute_change', i, { data: changed });
    return names;
  }
  /** Shorthand for one attribute; returns whether anything changed. */
  setAttribute(ref: PersonRef, name: string, value: string | number | boolean | null): boolean {
    return this.updatePerson(ref, { [name]: value }).length > 0;
  }

  deletePerson(ref: PersonRef): void {
    const i = this.resolvePerson(ref);
    const p = this.ws.editablePerson(i);
    if (p.deleted) return;
    p.deleted = true;
    this.activity('profile_delete', i, { data: null });
  }
  suppressPerson(ref: PersonRef): void { this.ws.editablePerson(this.resolvePerson(ref)).suppressed = true; }

  addPerson(init: { id?: string | null; email?: string | null; attributes?: Record<string, string> } = {}): Person {
    const index = this.ws.personCount;
    const now = this.ws.now;
    const cio_id = cioIdOf(index);
    const id = init.id === undefined ? String(900000000 + index) : init.id;
    const email = init.email === undefined ? `new.person.${index}@example.org` : init.email;
    const attributes: Record<string, string> = { cio_id, created_at: String(now), ...init.attributes };
    if (id !== null) attributes['id'] = id;
    if (email !== null) attributes['email'] = email;
    const timestamps: Record<string, number> = {};
    for (const k of Object.keys(attributes)) timestamps[k] = now;
    const p: Person = { index, cio_id, id, email, created: now, attributes, timestamps, deleted: false, suppressed: false, unsubscribed: false, devices: [] };
    this.ws.addPerson(p);
    this.activity('profile_create', index, { data: null });
    return p;
  }

  trackEvent(ref: PersonRef, name: string, data: Record<string, unknown> = {}): void {
    this.activity('event', this.resolvePerson(ref), { name, data });
  }
  setSegmentMember(segmentId: number, ref: PersonRef, member: boolean): void {
    if (!this.ws.segment(segmentId)) throw new Error(`cio-simulator: no segment ${segmentId}`);
    this.ws.setMember(segmentId, this.resolvePerson(ref), member);
  }

  addDeliveries(opts: AddDeliveriesOptions = {}): Array<{ id: string; created: number }> {
    const ws = this.ws;
    const created = opts.created ?? ws.now;
    const newest = ws.deliveryCount > 0 ? ws.deliveryCreated(ws.deliveryCount - 1) : 0;
    if (created > ws.now || created < newest) throw new Error(`cio-simulator: created must be between the newest delivery (${newest}) and now (${ws.now})`);
    const sender = this.senderFor(opts);
    const out: Array<{ id: string; created: number }> = [];
    for (let k = 0; k < (opts.count ?? 1); k++) {
      const index = ws.deliveryCount;
      const fixed: { sender?: Sender; personIndex?: number } = {};
      if (sender) fixed.sender = sender;
      if (opts.person !== undefined) fixed.personIndex = this.resolvePerson(opts.person);
      const d = generateDelivery({ ...ws.dgen, people: ws.personCount }, index, created, fixed);
      if (opts.metrics === 'none') d.schedule = {};
      else if (typeof opts.metrics === 'object') d.schedule = { ...opts.metrics };
      d.forgotten = false;
      ws.pushDelivery(d);
      out.push({ id: d.id, created });
    }
    const added = out.map((_, k) => ws.deliveryCount - out.length + k);
    for (const s of this.senders) s.deliveriesAdded(added);
    return out;
  }

  /** A metric that arrives late for an existing delivery (default time: now); also logged as an activity. */
  addMetric(deliveryId: string, metric: string, ts = this.ws.now): void {
    const i = this.ws.deliveryIndexOf(deliveryId);
    if (i === undefined) throw new Error(`cio-simulator: no delivery ${deliveryId}`);
    if (ts > this.ws.now) throw new Error('cio-simulator: a metric cannot be in the future');
    this.ws.addMetric(i, metric, ts);
    for (const s of this.senders) s.metricAdded(i, metric);
    const d = this.ws.delivery(i);
    this.activity(deliveryActivityType(metric, d.sender.type), d.personIndex, {
      delivery_id: d.id, delivery_type: deliveryChannel(d.sender.type, d.personIndex), data: { delivery_id: d.id, [metric]: ts },
    });
  }

  editCampaign(id: number, patch: CampaignPatch): void {
    const c = this.campaign(id);
    Object.assign(c, patch);
    c.updated = this.ws.now;
    c.deduplicate_id = `${c.id}:${c.updated}`;
  }
  deleteCampaign(id: number): void { this.campaign(id).deleted = true; }
  /**
   * Edits a newsletter variant: its `deduplicate_id` timestamp moves to now; the newsletter's own
   * `updated` does not (the API documents no link between the two).
   */
  editNewsletterContent(newsletterId: number, contentId: number, patch: { subject?: string; body?: string }): void {
    const c = this.ws.catalog.newsletters.find((n) => n.id === newsletterId)?.contents.find((x) => x.id === contentId);
    if (!c) throw new Error(`cio-simulator: no content ${contentId} in newsletter ${newsletterId}`);
    Object.assign(c, patch);
    c.updated = this.ws.now;
  }
  deleteSegment(id: number): void {
    const s = this.ws.segment(id);
    if (!s) throw new Error(`cio-simulator: no segment ${id}`);
    s.deleted = true;
  }

  private campaign(id: number): Campaign {
    const c = this.ws.catalog.campaigns.find((x) => x.id === id);
    if (!c) throw new Error(`cio-simulator: no campaign ${id}`);
    return c;
  }
  private senderFor(o: AddDeliveriesOptions): Sender | undefined {
    const s = this.ws.catalog.senders;
    const all = [...s.campaign, ...s.broadcast, ...s.newsletter];
    const found = o.actionId !== undefined ? all.find((x) => x.action_id === o.actionId)
      : o.campaignId !== undefined ? s.campaign.find((x) => x.campaign_id === o.campaignId)
        : o.broadcastId !== undefined ? s.broadcast.find((x) => x.broadcast_id === o.broadcastId)
          : o.newsletterId !== undefined ? s.newsletter.find((x) => x.newsletter_id === o.newsletterId) : undefined;
    const asked = o.actionId ?? o.campaignId ?? o.broadcastId ?? o.newsletterId;
    if (asked !== undefined && !found) throw new Error('cio-simulator: no such campaign/action/broadcast/newsletter to send from');
    return found;
  }
  private activity(type: string, personIndex: number, extra: { name?: string; delivery_id?: string; delivery_type?: string; data: Record<string, unknown> | null }): void {
    this.ws.logActivity({
      type, timestamp: this.ws.now, personIndex,
      name: extra.name ?? null, url: null, delivery_id: extra.delivery_id ?? null, delivery_type: extra.delivery_type ?? null, data: extra.data,
    });
  }
}
