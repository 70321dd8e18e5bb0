// Busy mode: a workspace that keeps working while a sync runs, as a production one does. While on, the
// simulator clock follows real time (× `speed`): on every request, and whenever a test asks for `now`,
// each second that passed is played out: several new deliveries created in that second (listed a little
// later, see realism.ts), events, people created, changed and deleted, and late metrics for deliveries
// 1–5 days old. Everything goes through the control API, so ground truth stays exact. What happens in a
// given second is seeded by (seed, second); which seconds pass during a sync depends on timing.
import type { Control } from './control.js';
import { DELIVERY_METRICS_LATE } from './generator/deliveries.js';
import { hash, Rand, STREAM } from './rng.js';
import type { Workspace } from './workspace.js';
import { BUSY_DEFAULTS, type BusyOptions, type BusyStats } from './busy-options.js';

export { BUSY_DEFAULTS, type BusyOptions, type BusyStats } from './busy-options.js';

export class Busy {
  readonly options: BusyOptions;
  private lastMs: number;
  private frac = 0;
  private paused = false;
  private inTick = false;
  private readonly counts: BusyStats = { seconds: 0, deliveries: 0, events: 0, people: 0, deletes: 0, changes: 0, lateMetrics: 0 };

  constructor(private readonly ws: Workspace, private readonly control: Control, options: Partial<BusyOptions> = {}, private readonly clockMs: () => number = Date.now) {
    this.options = { ...BUSY_DEFAULTS, ...options };
    this.lastMs = clockMs();
  }

  get stats(): BusyStats { return { ...this.counts }; }
  get running(): boolean { return !this.paused; }
  /** Stop playing out seconds (the clock then moves only through advanceClock). */
  pause(): void { this.tick(); this.paused = true; }
  resume(): void { this.lastMs = this.clockMs(); this.frac = 0; this.paused = false; }

  /** Plays out `seconds` simulated seconds at once (a quiet stretch between syncs, without waiting for it). */
  playOut(seconds: number): void {
    if (this.inTick) return;
    this.inTick = true;
    try { for (let k = 0; k < seconds; k++) this.second(); } finally { this.inTick = false; }
  }

  /** Plays out the simulated seconds that passed since the last tick. */
  tick(): void {
    const nowMs = this.clockMs();
    if (this.paused || this.inTick) { if (this.paused) this.lastMs = nowMs; return; }
    const elapsed = ((nowMs - this.lastMs) * this.options.speed) / 1000 + this.frac;
    this.lastMs = nowMs;
    const whole = Math.floor(elapsed);
    this.frac = elapsed - whole;
    this.inTick = true;
    try { for (let k = 0; k < whole; k++) this.second(); } finally { this.inTick = false; }
  }

  private second(): void {
    const ws = this.ws;
    const c = this.control;
    const o = this.options;
    c.advanceClock(1);
    const s = ws.now;
    const r = new Rand(hash(ws.seed, STREAM.busy, s));
    this.counts.seconds++;
    const n = Math.floor(o.deliveriesPerSecond * (0.5 + r.next()));
    if (n > 0 && ws.personCount > 0) { c.addDeliveries({ count: n, created: s }); this.counts.deliveries += n; }
    const events = Math.floor(o.eventsPerSecond * (0.5 + r.next()));
    for (let k = 0; k < events; k++) {
      const p = this.livePerson(r);
      if (p !== undefined) { c.trackEvent(p, 'busy_event', { n: k }); this.counts.events++; }
    }
    if (r.chance(o.peoplePerMinute / 60)) {
      c.addPerson({ attributes: { plan: r.pick(['free', 'pro', 'team']), city: r.pick(['Berlin', 'Lagos', 'Lima']), score: String(r.int(1000)) } });
      this.counts.people++;
    }
    if (r.chance(o.deletesPerMinute / 60)) {
      const p = this.livePerson(r);
      if (p !== undefined) { c.deletePerson(p); this.counts.deletes++; }
    }
    if (r.chance(o.changesPerMinute / 60)) {
      const p = this.livePerson(r);
      if (p !== undefined && c.updatePerson(p, { score: String(1000 + r.int(100_000)) }).length > 0) this.counts.changes++;
    }
    if (r.chance(o.lateMetricsPerMinute / 60)) this.lateMetric(r, s);
  }

  private livePerson(r: Rand): string | undefined {
    for (let tries = 0; tries < 5; tries++) {
      const p = this.ws.person(r.int(this.ws.personCount));
      if (!p.deleted) return p.cio_id;
    }
    return undefined;
  }

  /** A metric stamped 1 minute…2 hours ago for a delivery 1–5 days old, reported only now. */
  private lateMetric(r: Rand, s: number): void {
    const ws = this.ws;
    const i = ws.firstDeliveryAtOrAfter(s - 5 * 86400 + r.int(4 * 86400));
    if (i >= ws.deliveryCount) return;
    const d = ws.delivery(i);
    const has = { ...d.schedule, ...ws.metricOverlayOf(i) };
    const metric = DELIVERY_METRICS_LATE.find((m) => !(m in has));
    if (!metric) return;
    this.control.addMetric(d.id, metric, Math.max(d.created + 1, s - r.range(60, 7200)));
    this.counts.lateMetrics++;
  }
}
