// The workspace: generated base data (derived on demand) plus overlays written by the control API.
import { hash, deliveryIndex as indexOfDeliveryId, STREAM, unit } from './rng.js';
import type { Sizes } from './options.js';
import { basePerson, clonePerson, indexOfCioId, indexOfEmail, indexOfExternalId, type Person } from './generator/people.js';
import { generateCatalog, type Catalog, type Segment } from './generator/catalog.js';
import { baseCreated, generateDelivery, visibleMetrics, type Delivery, type DeliveryGenParams } from './generator/deliveries.js';
import { activityId, baseActivityTime, generateActivity, type Activity, type ActivityGenParams } from './generator/activities.js';
import { deliveryDelay, lateDelay, metricCode, NO_REALISM, type Realism } from './realism.js';

export type IdType = 'id' | 'email' | 'cio_id';

export class Workspace {
  readonly id: number;
  readonly genNow: number;
  readonly spanStart: number;
  readonly catalog: Catalog;
  now: number;
  private readonly people = new Map<number, Person>();
  private addedPeople = 0;
  private readonly idIndex = new Map<string, number>();
  private readonly emailIndex = new Map<string, number>();
  private readonly extraDeliveries: Delivery[] = [];
  private readonly metricOverlay = new Map<number, Record<string, number>>();
  private readonly extraActivities: Activity[] = [];
  /** Activities recorded but not visible yet (realism): listed once the clock reaches `visibleAt`. */
  private pending: Array<{ visibleAt: number; seq: number; a: Omit<Activity, 'index'> }> = [];
  private loggedActivities = 0;
  private readonly membership = new Map<number, Map<number, boolean>>();
  readonly dgen: DeliveryGenParams;
  readonly agen: ActivityGenParams;

  constructor(readonly seed: number, readonly sizes: Sizes, clockStart: number, readonly realism: Realism = NO_REALISM) {
    if (sizes.people === 0 && (sizes.deliveries > 0 || sizes.activities > 0)) throw new Error('cio-simulator: deliveries and activities need at least one person');
    this.id = 100000 + (hash(seed, STREAM.workspace) % 900000);
    this.genNow = clockStart;
    this.now = clockStart;
    this.spanStart = clockStart - sizes.spanDays * 86400;
    this.catalog = generateCatalog(seed, sizes, clockStart);
    this.dgen = { seed, count: sizes.deliveries, spanStart: this.spanStart, genNow: clockStart, people: sizes.people, catalog: this.catalog };
    this.agen = { seed, count: sizes.activities, genNow: clockStart, people: sizes.people, deliveryAt: (t) => this.deliveryAt(t) };
  }

  // ---- people ----
  get personCount(): number { return this.sizes.people + this.addedPeople; }
  person(i: number): Person {
    return this.people.get(i) ?? basePerson(this.seed, i, this.genNow, this.sizes.spanDays);
  }
  /** A mutable copy stored in the overlay (for the control API). */
  editablePerson(i: number): Person {
    let p = this.people.get(i);
    if (!p) { p = clonePerson(this.person(i)); this.people.set(i, p); }
    return p;
  }
  addPerson(p: Person): void {
    this.people.set(p.index, p);
    this.addedPeople++;
    this.reindex(p);
  }
  reindex(p: Person): void {
    if (p.id !== null) this.idIndex.set(p.id, p.index);
    if (p.email !== null) this.emailIndex.set(p.email, p.index);
  }
  findPerson(idType: IdType, value: string): number | undefined {
    const candidates = idType === 'cio_id' ? [indexOfCioId(value)]
      : idType === 'id' ? [this.idIndex.get(value), indexOfExternalId(value)]
        : [this.emailIndex.get(value), indexOfEmail(value)];
    const want = idType === 'cio_id' ? value.replace(/^cio_/, '') : value;
    for (const i of candidates) {
      if (i === undefined || i < 0 || i >= this.personCount) continue;
      const p = this.person(i);
      const own = idType === 'cio_id' ? p.cio_id : idType === 'id' ? p.id : p.email;
      if (own === want) return i;
    }
    return undefined;
  }

  // ---- segments ----
  segment(id: number): Segment | undefined { return this.catalog.segments.find((s) => s.id === id); }
  isMember(seg: Segment, i: number): boolean {
    const o = this.membership.get(seg.id)?.get(i);
    if (o !== undefined) return o && !this.person(i).deleted;
    if (i >= this.sizes.people) return false;
    return unit(this.seed, STREAM.membership, seg.id, i) < seg.fraction && !this.person(i).deleted;
  }
  setMember(segId: number, i: number, member: boolean): void {
    let m = this.membership.get(segId);
    if (!m) { m = new Map(); this.membership.set(segId, m); }
    m.set(i, member);
  }

  // ---- deliveries ----
  get deliveryCount(): number { return this.sizes.deliveries + this.extraDeliveries.length; }
  deliveryCreated(i: number): number {
    return i < this.sizes.deliveries ? baseCreated(this.dgen, i) : this.extraDeliveries[i - this.sizes.deliveries]!.created;
  }
  delivery(i: number): Delivery {
    return i < this.sizes.deliveries ? generateDelivery(this.dgen, i) : this.extraDeliveries[i - this.sizes.deliveries]!;
  }
  deliveryIndexOf(id: string): number | undefined {
    const i = indexOfDeliveryId(this.seed, id);
    return i !== undefined && i < this.deliveryCount ? i : undefined;
  }
  pushDelivery(d: Delivery): void { this.extraDeliveries.push(d); }
  /** Metrics of a delivery visible at `now`: scheduled ones once their (realism) delay passed; late ones added through control at once. */
  metricsAt(d: Delivery, now = this.now): Record<string, number> {
    const r = this.realism;
    const overlay = this.metricOverlay.get(d.index);
    const out = visibleMetrics(d.schedule, now);
    if (r.lateShare > 0 || r.quickShare > 0) {
      for (const [k, ts] of Object.entries(out)) if (ts + lateDelay(this.seed, r, d.index, metricCode(k)) > now) delete out[k];
    }
    return overlay ? { ...out, ...visibleMetrics(overlay, now) } : out;
  }
  /** Whether GET /messages lists the delivery yet (realism: a little after `created`). */
  deliveryVisible(d: Delivery, now = this.now): boolean {
    return d.created + deliveryDelay(this.seed, this.realism, d.index) <= now;
  }
  /** Late metrics added through the control API for delivery i (metric → ts), if any. */
  metricOverlayOf(i: number): Readonly<Record<string, number>> | undefined { return this.metricOverlay.get(i); }
  overlaidDeliveries(): number[] { return [...this.metricOverlay.keys()]; }
  addMetric(i: number, metric: string, ts: number): void {
    const m = this.metricOverlay.get(i) ?? {};
    m[metric] = ts;
    this.metricOverlay.set(i, m);
  }
  /** First index whose creation time is ≥ t (deliveryCount if none). */
  firstDeliveryAtOrAfter(t: number): number {
    return lowerBound(this.deliveryCount, (i) => this.deliveryCreated(i) >= t);
  }
  deliveryAt(t: number): Delivery | undefined {
    const i = lowerBound(this.sizes.deliveries, (k) => baseCreated(this.dgen, k) > t) - 1;
    return i >= 0 ? generateDelivery(this.dgen, i) : undefined;
  }

  // ---- activities ----
  get activityCount(): number { return this.sizes.activities + this.extraActivities.length; }
  activityTime(i: number): number {
    return i < this.sizes.activities ? baseActivityTime(this.agen, i) : this.extraActivities[i - this.sizes.activities]!.timestamp;
  }
  activity(i: number): Activity {
    return i < this.sizes.activities ? generateActivity(this.agen, i) : this.extraActivities[i - this.sizes.activities]!;
  }
  firstActivityAtOrAfter(t: number): number {
    return lowerBound(this.activityCount, (i) => this.activityTime(i) >= t);
  }
  pushActivity(a: Omit<Activity, 'index'>): Activity {
    const full = { ...a, index: this.activityCount };
    this.extraActivities.push(full);
    return full;
  }
  /**
   * Records an activity that happened now: listed at once, or (realism) once its delay has passed, after
   * the activities recorded meanwhile. Listing order is recording order, so a late activity sits among
   * newer ones and timestamps are only roughly descending (the retention cut is therefore approximate
   * by up to the longest delay, as "about 30 days" is for the real API).
   */
  logActivity(init: Omit<Activity, 'index' | 'id'>): void {
    const seq = this.loggedActivities++;
    const a = { ...init, id: activityId(this.seed, this.sizes.activities + seq, init.timestamp) };
    const delay = lateDelay(this.seed, this.realism, 0x5eed, seq);
    if (delay === 0 && this.pending.length === 0) { this.pushActivity(a); return; }
    this.pending.push({ visibleAt: a.timestamp + delay, seq, a });
    this.releaseActivities();
  }
  /** Lists the recorded activities whose time to appear has come (called as the clock moves). */
  releaseActivities(): void {
    if (this.pending.length === 0) return;
    const due = this.pending.filter((p) => p.visibleAt <= this.now).sort((x, y) => x.visibleAt - y.visibleAt || x.seq - y.seq);
    if (due.length === 0) return;
    this.pending = this.pending.filter((p) => p.visibleAt > this.now);
    for (const p of due) this.pushActivity(p.a);
  }
  /** Recorded activities not listed yet (ground truth for tests). */
  pendingActivities(): Array<Omit<Activity, 'index'>> { return this.pending.map((p) => p.a); }
}

/** Smallest i in [0, n) with pred(i) true, for a monotone pred; n if none. */
export function lowerBound(n: number, pred: (i: number) => boolean): number {
  let lo = 0; let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(mid)) hi = mid; else lo = mid + 1;
  }
  return lo;
}
