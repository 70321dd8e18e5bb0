// The demo flow, shared by `npm run demo` and scripts/e2e.test.ts: a simulated Customer.io
// workspace (in process), the advanced collector (child process), raw calls through the official
// Node library, and both sources synced into destination-bucket by the standalone runner.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startSimulator, type Simulator } from '@cio-dw/cio-simulator';
import { CALL_TYPES, emptyLedger, planCalls, sendCalls, type CallLedger, type CallType, type DemoUser } from './calls.js';
import { startCollector, type RunningCollector } from './collector.js';
import { bucketConfig, syncConnection, writeConnectionFile, type Connection, type SyncOutcome } from './sync.js';

export interface DemoOptions {
  /** Parquet output; one sub-folder per connection (`standard/`, `advanced/`). */
  bucketDir: string;
  /** Spool, state files, connection files. */
  workDir: string;
  seed?: number;
  people?: number;
  deliveries?: number;
  /** People of the workspace who also send raw calls. */
  users?: number;
  /** Advanced source settle window (the collector's write limit is kept below it). */
  settleSeconds?: number;
}

/** Standard streams synced by the demo (delivery_contents costs one request per delivery: left out). */
export const STANDARD_STREAMS = ['campaigns', 'campaign_actions', 'broadcasts', 'broadcast_actions', 'newsletters', 'newsletter_contents',
  'segments', 'deliveries', 'metrics', 'people', 'attributes'];

export interface Changes {
  /** Simulator-clock seconds the changes were made at. */
  at: number;
  changedPerson: { cio_id: string; id: string; attribute: string; from: string; to: string };
  noopPerson: { cio_id: string; id: string; attribute: string; value: string; changedNames: string[] };
  lateMetric: { delivery_id: string; metric: string; campaign_id: number | null };
  newDeliveries: string[];
  editedCampaign: { id: number; from: string; to: string };
}

export class DemoFlow {
  readonly ledger: CallLedger = emptyLedger();
  readonly phaseCounts: Record<CallType, number>[] = [];
  private lastAckAt = 0;
  private ticker: NodeJS.Timeout | undefined;
  private constructor(
    readonly sim: Simulator, readonly collector: RunningCollector, readonly users: DemoUser[],
    readonly standard: Connection, readonly advanced: Connection, readonly opts: Required<DemoOptions>,
  ) {}

  static async start(o: DemoOptions): Promise<DemoFlow> {
    const opts: Required<DemoOptions> = { seed: 7, people: 200, deliveries: 2000, users: 12, settleSeconds: 1, ...o,
      bucketDir: resolve(o.bucketDir), workDir: resolve(o.workDir) };
    const spool = join(opts.workDir, 'spool');
    await mkdir(spool, { recursive: true });
    await mkdir(opts.bucketDir, { recursive: true });
    // The sources take "now" from the machine's clock, so the simulated workspace keeps real time:
    // it starts now (with spanDays of history) and its clock is advanced as real time passes.
    const clockStart = Math.floor(Date.now() / 1000);
    // Realism off: the demo's changes are listed at once, so a sync seconds later sees them (with the
    // real API's delays the source's default settle_seconds/overlap apply; see source-cio-standard docs).
    const sim = await startSimulator({ seed: opts.seed, size: 'tiny', people: opts.people, deliveries: opts.deliveries, clockStart, realism: false });
    let collector: RunningCollector | undefined;
    try {
      collector = await startCollector({ spoolPath: spool, configDir: opts.workDir, maxWriteMs: Math.max(100, opts.settleSeconds * 500) });
      const users = sim.truth.people().filter((p) => !p.deleted && p.id && p.email).slice(0, opts.users)
        .map((p) => ({ userId: p.id!, email: p.email!, plan: p.attributes.plan ?? 'free', firstName: p.attributes.first_name ?? 'Friend' }));
      const startDate = new Date((clockStart - (sim.sizes.spanDays + 2) * 86_400) * 1000).toISOString();
      const standard: Connection = {
        name: 'standard',
        source: 'source-cio-standard',
        sourceConfig: { app_api_key: sim.apiKey, workspace_id: sim.workspaceId, start_date: startDate, api_url: sim.baseUrl,
          // Long enough to cover every simulated delivery, so every metric is seen (the default is 7).
          lookback_days: Math.min(180, sim.sizes.spanDays + 3), window_days: 30,
          // Nothing is listed late in the demo (realism off), so syncs read up to now (the default waits 300 s).
          settle_seconds: 0 },
        destinationConfig: bucketConfig(join(opts.bucketDir, 'standard')),
        streams: STANDARD_STREAMS,
        statePath: join(opts.workDir, 'standard.state.json'),
      };
      const advanced: Connection = {
        name: 'advanced',
        source: 'source-cio-advanced',
        sourceConfig: { spool: { storage: 'local', path: spool }, settle_seconds: opts.settleSeconds, dedup_window_minutes: 60 },
        destinationConfig: bucketConfig(join(opts.bucketDir, 'advanced')),
        statePath: join(opts.workDir, 'advanced.state.json'),
      };
      await writeConnectionFile(standard, join(opts.workDir, 'standard.connection.json'));
      await writeConnectionFile(advanced, join(opts.workDir, 'advanced.connection.json'));
      const flow = new DemoFlow(sim, collector, users, standard, advanced, opts);
      flow.followRealTime();
      return flow;
    } catch (e) {
      await collector?.stop();
      await sim.close();
      throw e;
    }
  }

  /**
   * Advances the simulator's clock with real time (every 100 ms). A source fixes its bound at "now" when a
   * sync starts; a workspace clock behind real time would later reveal items behind that bound.
   */
  followRealTime(): void {
    this.ticker ??= setInterval(() => this.catchUp(), 100);
  }

  /** Stops the clock (e.g. before the last sync, so that the ground truth is exactly what that sync covers). */
  freezeClock(): number {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    this.catchUp();
    return this.sim.control.now();
  }

  private catchUp(): void {
    const behind = Math.floor(Date.now() / 1000) - this.sim.control.now();
    if (behind > 0) this.sim.control.advanceClock(behind);
  }

  /** Raw calls of one phase through the official library; phase 2 repeats one identify unchanged (a no-op). */
  async sendPhase(phase: number, extra: Array<{ type: CallType; call: Record<string, unknown> }> = []): Promise<Record<CallType, number>> {
    const before = { ...this.ledger.counts };
    await sendCalls(this.collector.url, this.collector.writeKey, [...planCalls(this.users, phase), ...extra], this.ledger);
    this.lastAckAt = Date.now();
    const counts = Object.fromEntries(CALL_TYPES.map((t) => [t, this.ledger.counts[t] - before[t]])) as Record<CallType, number>;
    this.phaseCounts.push(counts);
    return counts;
  }

  /** Syncs both connections (concurrently), after the advanced feed's settle window has passed. */
  async syncAll(): Promise<{ standard: SyncOutcome; advanced: SyncOutcome }> {
    const wait = this.lastAckAt + this.opts.settleSeconds * 1000 + 250 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const [standard, advanced] = await Promise.all([syncConnection(this.standard), syncConnection(this.advanced)]);
    return { standard, advanced };
  }

  /**
   * Changes the workspace at the current (real) time, a whole second after the last sync began:
   * one real attribute change, one no-op update, a late metric, new deliveries with metrics, a campaign edit.
   */
  async makeChanges(): Promise<Changes> {
    const { control, truth } = this.sim;
    await new Promise((r) => setTimeout(r, 1100 - (Date.now() % 1000)));
    this.catchUp();
    const at = control.now();
    const changedUser = this.users[0]!;
    const noopUser = this.users[1]!;
    const changed = truth.person({ id: changedUser.userId });
    const from = changed.attributes.plan ?? '';
    const to = from === 'enterprise' ? 'pro' : 'enterprise';
    if (control.updatePerson({ id: changedUser.userId }, { plan: to }).length !== 1) throw new Error('demo: the attribute change did not register');
    changedUser.plan = to;
    const noop = truth.person({ id: noopUser.userId });
    const noopValue = noop.attributes.plan ?? '';
    const changedNames = control.updatePerson({ id: noopUser.userId }, { plan: noopValue });
    const late = truth.messages().find((m) => m.campaign_id !== null && m.type === 'email' && isRecord(m.metrics) && 'delivered' in m.metrics
      && !('opened' in (truth.metricSchedule(String(m.id)) ?? {})));
    if (!late) throw new Error('demo: no delivered-but-unopened email to open late');
    control.addMetric(String(late.id), 'opened', at);
    const campaign = truth.campaigns()[0]!;
    const added = [
      ...control.addDeliveries({ count: 15, campaignId: campaign.id, metrics: { sent: at, delivered: at } }),
      ...control.addDeliveries({ count: 10, campaignId: campaign.id, metrics: { sent: at, delivered: at, opened: at } }),
    ];
    const newName = `${campaign.name} (v2)`;
    control.editCampaign(campaign.id, { name: newName });
    return {
      at,
      changedPerson: { cio_id: changed.cio_id, id: changedUser.userId, attribute: 'plan', from, to },
      noopPerson: { cio_id: noop.cio_id, id: noopUser.userId, attribute: 'plan', value: noopValue, changedNames },
      lateMetric: { delivery_id: String(late.id), metric: 'opened', campaign_id: typeof late.campaign_id === 'number' ? late.campaign_id : null },
      newDeliveries: added.map((d) => d.id),
      editedCampaign: { id: campaign.id, from: campaign.name, to: newName },
    };
  }

  /** The raw identify calls that mirror the changes: the changed person's new plan, and the no-op (same traits again). */
  identifyCallsFor(changes: Changes): Array<{ type: CallType; call: Record<string, unknown> }> {
    return [changes.changedPerson.id, changes.noopPerson.id].map((id) => {
      const u = this.users.find((x) => x.userId === id)!;
      return { type: 'identify' as const, call: { userId: u.userId, traits: { email: u.email, first_name: u.firstName, plan: u.plan } } };
    });
  }

  async stop(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    await this.collector.stop();
    await this.sim.close();
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
