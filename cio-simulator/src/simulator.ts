// startSimulator: build the workspace, start the US and EU listeners, hand back control and truth.
import type { Server } from 'node:http';
import { hash, STREAM } from './rng.js';
import { resolveQuirks, sizesFor, toEpochSeconds, type Quirks, type Region, type SimulatorOptions, type Sizes } from './options.js';
import { Workspace } from './workspace.js';
import { Control } from './control.js';
import { Truth } from './truth.js';
import { Api, portOf } from './server/http.js';
import { Faults } from './server/faults.js';
import { StatsRecorder, type SimStats } from './server/stats.js';
import type { WebhookSender } from './webhooks/sender.js';
import { resolveRealism } from './realism.js';
import { Busy } from './busy.js';

export interface Simulator {
  /** `http://127.0.0.1:<port>/v1`: clients append `/campaigns` etc. */
  usUrl: string;
  euUrl: string;
  /** The URL of the workspace's own region. */
  baseUrl: string;
  region: Region;
  apiKey: string;
  workspaceId: number;
  seed: number;
  sizes: Sizes;
  quirks: Quirks;
  stats(): SimStats;
  resetStats(): void;
  control: Control;
  truth: Truth;
  /** The reporting-webhook sender started by the `webhooks` option (null without it). */
  webhooks: WebhookSender | null;
  /** Busy mode (null unless the `busy` option was given): pause/resume, stats. */
  busy: Busy | null;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? 1;
  const { size, seed: _s, apiKey: _k, region: _r, rateLimit: _rl, faults: _f, quirks: _q, host: _h, port: _p, euPort: _e, clockStart: _c, webhooks: _w, realism: _re, busy: _b, archivedMessagesPerDay: _a, exportPendingPolls: _x, ...overrides } = options;
  const sizes = sizesFor(size ?? 'tiny', overrides);
  const ws = new Workspace(seed, sizes, toEpochSeconds(options.clockStart), resolveRealism(options.realism));
  const apiKey = options.apiKey ?? `sim_${hash(seed, STREAM.key, 1).toString(16)}${hash(seed, STREAM.key, 2).toString(16)}`;
  const region = options.region ?? 'us';
  const quirks = resolveQuirks(options.quirks);
  const faults = new Faults(options.faults ?? []);
  const stats = new StatsRecorder();
  const rateLimit = { perSecond: 10, retryAfterHeader: true, ...options.rateLimit };
  const control = new Control(ws, faults);
  const busy = options.busy ? new Busy(ws, control, options.busy === true ? {} : options.busy) : null;
  if (busy) control.onNow = () => busy.tick();
  const api = new Api({ ws, apiKey, region, quirks, rateLimit, faults, stats, archivedMessagesPerDay: options.archivedMessagesPerDay ?? 100, exportPendingPolls: options.exportPendingPolls ?? 2, ...(busy ? { beforeRoute: () => busy.tick() } : {}) });
  const host = options.host ?? '127.0.0.1';
  const servers: Server[] = [];
  try {
    servers.push(await api.listen('us', host, options.port ?? 0));
    servers.push(await api.listen('eu', host, options.euPort ?? 0));
  } catch (e) {
    await Promise.all(servers.map(closeServer));
    throw e;
  }
  const [us, eu] = servers as [Server, Server];
  const urlOf = (s: Server): string => `http://${host}:${portOf(s)}/v1`;
  const webhooks = options.webhooks ? control.sendWebhooks(options.webhooks) : null;
  return {
    usUrl: urlOf(us), euUrl: urlOf(eu), baseUrl: urlOf(region === 'us' ? us : eu), region,
    apiKey, workspaceId: ws.id, seed, sizes, quirks,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    control,
    truth: new Truth(ws, (ref) => control.resolvePerson(ref)),
    webhooks,
    busy,
    close: async () => { await control.stopWebhooks(); await Promise.all(servers.map(closeServer)); },
  };
}

function closeServer(s: Server): Promise<void> {
  return new Promise((resolve) => {
    s.close(() => resolve());
    s.closeAllConnections();
  });
}
