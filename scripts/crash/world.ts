// A crash-test world: a simulated Customer.io workspace (in process, its clock following real time
// until frozen), a cio-sync connection (standard source → destination-bucket, Parquet in a local
// folder) run as the real `cio-sync` CLI, and helpers to kill -9 the runner, the source or the
// destination in the middle of a sync.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '@cio-dw/cio-simulator';
import { REPO } from '../demo/paths.js';

export const CRASH_STREAMS = ['campaigns', 'deliveries', 'metrics', 'people'];

export interface World {
  sim: Simulator; dir: string; bucket: string; connection: string; statePath: string;
  /** Stops the clock, so the ground truth is exactly what the next complete sync covers. */
  freeze(): void;
  /** In a new second after everything read so far: `deliveries` new deliveries (sent, delivered) and a campaign renamed. */
  change(deliveries: number, campaignIndex: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startWorld(dir: string, o: { seed: number; people: number; deliveries: number; requestsPerSecond?: number }): Promise<World> {
  await mkdir(dir, { recursive: true });
  const clockStart = Math.floor(Date.now() / 1000);
  // Crashes and reruns, not late data, are what this world tests (the busy-workspace soak and
  // late-data tests cover that): nothing is listed late (realism off), and the source reads up to
  // now (settle_seconds 0, as in the demo), so a frozen clock makes the truth exactly what the final
  // sync covers. With the defaults, the final sync would leave the last 5 minutes for a later one.
  const sim = await startSimulator({ seed: o.seed, size: 'tiny', people: o.people, deliveries: o.deliveries, clockStart, realism: false, rateLimit: { perSecond: o.requestsPerSecond ?? 10 } });
  const catchUp = () => { const behind = Math.floor(Date.now() / 1000) - sim.control.now(); if (behind > 0) sim.control.advanceClock(behind); };
  let ticker: NodeJS.Timeout | undefined = setInterval(catchUp, 100);
  const bucket = join(dir, 'bucket');
  const statePath = join(dir, 'standard.state.json');
  const connection = join(dir, 'standard.connection.json');
  const startDate = new Date((clockStart - (sim.sizes.spanDays + 2) * 86_400) * 1000).toISOString();
  await writeFile(connection, JSON.stringify({
    source: { connector: 'source-cio-standard', config: { app_api_key: '${CRASH_CIO_KEY}', workspace_id: sim.workspaceId, start_date: startDate, api_url: sim.baseUrl,
      lookback_days: Math.min(180, sim.sizes.spanDays + 3), window_days: 30, settle_seconds: 0 } },
    // small files, flushed every second: many manifests and echoed states per sync, so kills land
    // between a durable file and the saved state that covers it (the at-least-once duplicates)
    destination: { connector: 'destination-bucket', config: { store: { store_type: 'local', path: bucket }, format: { format_type: 'parquet', compression: 'zstd' },
      flush_rows: 300, flush_interval_seconds: 1 } },
    streams: CRASH_STREAMS,
    state_file: statePath,
  }, null, 2));
  return {
    sim, dir, bucket, connection, statePath,
    freeze() { if (ticker) clearInterval(ticker); ticker = undefined; catchUp(); },
    async change(deliveries, campaignIndex) {
      await new Promise((r) => setTimeout(r, 1100 - (Date.now() % 1000)));
      catchUp();
      const at = sim.control.now();
      const campaigns = sim.truth.campaigns();
      const campaign = campaigns[campaignIndex % campaigns.length]!;
      if (deliveries > 0) sim.control.addDeliveries({ count: deliveries, campaignId: campaign.id, metrics: { sent: at, delivered: at } });
      sim.control.editCampaign(campaign.id, { name: `${campaign.name.replace(/ \(v\d+\)$/, '')} (v${at})` });
    },
    async stop() { if (ticker) clearInterval(ticker); await sim.close(); },
  };
}

export interface RunningSync { proc: ChildProcess; stderr: () => string; exit: Promise<number> }

export function startSync(w: World): RunningSync {
  const proc = spawn(process.execPath, [join(REPO, 'runner', 'bin', 'cio-sync.js'), '--connection', w.connection],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1', CRASH_CIO_KEY: w.sim.apiKey } });
  let text = '';
  proc.stderr!.on('data', (c: Buffer) => { text = (text + c.toString()).slice(-8000); });
  const exit = once(proc, 'exit').then(([code, signal]) => (code as number | null) ?? (signal ? 137 : 1));
  return { proc, stderr: () => text, exit };
}

/** Running processes whose parent is `pid` (Linux /proc; zombies, which a kill no longer affects, left out), with their command lines. */
export async function childrenOf(pid: number): Promise<{ pid: number; cmd: string }[]> {
  const out: { pid: number; cmd: string }[] = [];
  const listed = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').then((t) => t.trim().split(/\s+/).filter(Boolean), () => undefined);
  for (const name of listed ?? await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(ppid) !== pid || state === 'Z') continue;
    out.push({ pid: Number(name), cmd: (await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ') });
  }
  return out;
}

export type Target = 'runner' | 'source' | 'destination';

/** The running `read` (source) or `write` (destination) process of a sync, if any. */
export async function connectorOf(sync: RunningSync, target: Exclude<Target, 'runner'>): Promise<number | undefined> {
  const name = target === 'source' ? 'source-cio-standard' : 'destination-bucket';
  return (await childrenOf(sync.proc.pid!)).find((c) => c.cmd.includes(`${name}.js`) && / (read|write) /.test(` ${c.cmd} `))?.pid;
}

/** kill -9 of the target (its connector found among the runner's children); what was killed, or undefined if it was not running. */
export async function kill9(sync: RunningSync, target: Target, opts: { withChildren?: boolean } = {}): Promise<string | undefined> {
  const runnerPid = sync.proc.pid!;
  if (target === 'runner') {
    const children = opts.withChildren ? await childrenOf(runnerPid) : [];
    if (!sync.proc.kill('SIGKILL')) return undefined;
    // withChildren: what a container's end does (the connectors go too). Without: the connectors run on,
    // orphaned; the destination finishes writing what it got (files and manifests whose states nobody
    // saves), so the rerun writes those rows again: the at-least-once duplicates the loaders remove.
    for (const c of children) { try { process.kill(c.pid, 'SIGKILL'); } catch { /* gone */ } }
    return `runner ${runnerPid}${opts.withChildren ? ' (and its connectors)' : ' (connectors orphaned)'}`;
  }
  const pid = await connectorOf(sync, target);
  if (!pid) return undefined;
  try { process.kill(pid, 'SIGKILL'); } catch { return undefined; }
  return `${target} ${pid}`;
}

/** Reruns the sync until one completes (exit 0). */
export async function syncToCompletion(w: World, attempts = 4): Promise<number> {
  for (let i = 1; i <= attempts; i++) {
    const s = startSync(w);
    const code = await s.exit;
    if (code === 0) return i;
    if (i === attempts) throw new Error(`crash: the sync did not complete after ${attempts} attempts (exit ${code}): ${s.stderr()}`);
  }
  return attempts;
}

export async function removeWorld(w: World): Promise<void> {
  await w.stop();
  await rm(w.dir, { recursive: true, force: true, maxRetries: 10 });
}
