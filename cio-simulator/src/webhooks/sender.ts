// Reporting-webhook sender: POSTs the events of the simulated workspace to a URL as the simulator
// clock passes them, signed like Customer.io, with knobs for faults, duplicates and bursts.
import { hash, STREAM } from '../rng.js';
import { strHash } from '../generator/journeys.js';
import type { ReportEvent } from '../generator/report-events.js';
import type { Workspace } from '../workspace.js';
import type { ReportFeed } from './feed.js';
import { signReporting, type ReportingWebhookEvent } from './payload.js';
import type { FlushReport, SentRequest, WebhookFault, WebhookSenderOptions } from './options.js';

interface Job { payload: ReportingWebhookEvent; body: string; duplicate: boolean }

export class WebhookSender {
  private cursorS: number;
  private readonly queued: ReportEvent[] = [];
  private readonly sent: SentRequest[] = [];
  private readonly eventsSent: ReportingWebhookEvent[] = [];
  private running: Promise<void> | null = null;
  private dirty = false;
  private stopped = false;
  private seq = 0;

  constructor(private readonly ws: Workspace, private readonly feed: ReportFeed, readonly options: Readonly<WebhookSenderOptions>) {
    if (!/^https?:\/\//.test(options.url)) throw new Error('cio-simulator: webhooks need an http(s) url');
    if (!options.signingKey) throw new Error('cio-simulator: webhooks need a signingKey');
    this.cursorS = options.since ?? ws.now;
  }

  /** Every event with timestamp ≤ cursor has been handed to the sending queue. */
  cursor(): number { return this.cursorS; }
  /** Every request made so far, in completion order. */
  log(): SentRequest[] { return this.sent.map((r) => ({ ...r })); }
  /** The distinct events sent so far (first POST of each), in send order. */
  events(): ReportingWebhookEvent[] { return structuredClone(this.eventsSent); }

  /** Sends everything due up to the simulator's now; resolves when every request (and retry) has finished. */
  async flush(): Promise<FlushReport> {
    const before = this.sent.length; const eventsBefore = this.eventsSent.length;
    await this.pump();
    while (this.running) await this.running;
    const reqs = this.sent.slice(before);
    const ok = reqs.filter((r) => typeof r.status === 'number' && r.status >= 200 && r.status < 300).length;
    return { events: this.eventsSent.length - eventsBefore, requests: reqs.length, ok, failed: reqs.length - ok };
  }

  /** Stops sending; waits for requests in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    while (this.running) await this.running;
  }

  /** One-off POST of any payload (or raw body text) with an optional fault; no retries, not logged as an event. */
  async post(event: ReportingWebhookEvent | string, opts: { fault?: WebhookFault | null; timestampS?: number } = {}): Promise<SentRequest> {
    const body = typeof event === 'string' ? event : JSON.stringify(event);
    const payload = typeof event === 'string' ? { event_id: '', metric: '', data: {} } : event;
    return this.request(payload, body, 0, false, opts.fault ?? null, opts.timestampS);
  }

  // ---- notifications from the control API ----
  clockMoved(): void { if (this.options.auto !== false) void this.pump(); }
  metricAdded(deliveryIndex: number, metric: string): void {
    // Late metrics are never part of the time scan, so each is queued exactly once, here.
    const ev = this.feed.eventsOf(deliveryIndex, 'all').find((e) => e.metric === metric && e.occurrence === 0);
    if (ev) this.queued.push(ev);
    this.clockMoved();
  }
  deliveriesAdded(indices: number[]): void {
    // Events at or before the cursor would be missed by the scan.
    for (const i of indices) for (const e of this.feed.eventsOf(i, 'generated')) if (e.timestamp <= this.cursorS) this.queued.push(e);
    this.clockMoved();
  }

  private pump(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) { this.dirty = true; return this.running; }
    this.running = (async () => {
      do { this.dirty = false; await this.sendDue(); } while (this.dirty && !this.stopped);
    })().finally(() => { this.running = null; });
    return this.running;
  }

  private async sendDue(): Promise<void> {
    const target = this.ws.now;
    const due = this.queued.splice(0);
    if (target > this.cursorS) {
      due.push(...this.feed.between(this.cursorS, target, 'generated'));
      this.cursorS = target;
    }
    due.sort((a, b) => a.timestamp - b.timestamp);
    const jobs: Job[] = [];
    for (const ev of due) {
      const payload = this.feed.payload(ev);
      const body = JSON.stringify(payload);
      jobs.push({ payload, body, duplicate: false });
      if (this.pick(payload.event_id, 4, this.options.duplicate)) jobs.push({ payload, body, duplicate: true });
    }
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length && !this.stopped) await this.deliver(jobs[next++]!);
    };
    const n = Math.max(1, Math.floor(this.options.concurrency ?? 1));
    await Promise.all(Array.from({ length: Math.min(n, jobs.length) }, worker));
  }

  private async deliver(job: Job): Promise<void> {
    if (!job.duplicate) this.eventsSent.push(job.payload);
    const fault = job.duplicate ? null : this.faultFor(job.payload.event_id);
    const retries = this.options.retries ?? 0;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.options.retryDelayMs ?? 50));
      const r = await this.request(job.payload, job.body, attempt, job.duplicate, attempt === 0 ? fault : null);
      if (typeof r.status === 'number' && r.status >= 200 && r.status < 300) return;
      if (this.stopped) return;
    }
  }

  private faultFor(eventId: string): WebhookFault | null {
    const o = this.options;
    if (this.pick(eventId, 0, o.missingSignature)) return 'missing_signature';
    if (this.pick(eventId, 1, o.missingTimestamp)) return 'missing_timestamp';
    if (this.pick(eventId, 2, o.badSignature)) return 'bad_signature';
    if (this.pick(eventId, 3, o.staleTimestamp)) return 'stale_timestamp';
    return null;
  }
  private pick(eventId: string, knob: number, share: number | undefined): boolean {
    if (!share || share <= 0) return false;
    return share >= 1 || hash(this.ws.seed, STREAM.webhookFault, strHash(eventId), knob) / 4294967296 < share;
  }

  private async request(payload: Pick<ReportingWebhookEvent, 'event_id' | 'metric' | 'data'>, body: string, attempt: number, duplicate: boolean, fault: WebhookFault | null, timestampS?: number): Promise<SentRequest> {
    const now = timestampS ?? (this.options.now ? this.options.now() : Math.floor(Date.now() / 1000));
    const ts = fault === 'stale_timestamp' ? now - (this.options.staleBySeconds ?? 3600) : now;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Customer.io Reporting Webhooks (cio-simulator)' };
    if (fault !== 'missing_timestamp') headers['x-cio-timestamp'] = String(ts);
    if (fault !== 'missing_signature') headers['x-cio-signature'] = signReporting(body, ts, fault === 'bad_signature' ? `${this.options.signingKey}-wrong` : this.options.signingKey);
    const deliveryId = payload.data['delivery_id'];
    const rec: SentRequest = {
      seq: ++this.seq, event_id: payload.event_id, metric: payload.metric, delivery_id: typeof deliveryId === 'string' ? deliveryId : null,
      attempt, duplicate, fault, timestamp_header: headers['x-cio-timestamp'] ?? null, status: 'error',
    };
    try {
      const res = await fetch(this.options.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 4000) });
      await res.arrayBuffer();
      rec.status = res.status;
    } catch (e) {
      const err = e as Error;
      rec.status = err.name === 'TimeoutError' || err.name === 'AbortError' ? 'timeout' : 'error';
      rec.error = err.message;
    }
    this.sent.push(rec);
    return rec;
  }
}
