// Runs syncs of the source in-process against the simulator and collects what they emit.
import { MemoryEmitter, RateLimiter, memoryLogger, readSource, systemClock, type ConfiguredAirbyteCatalog, type SyncMode } from '@cio-dw/common';
import { maxVisibilityDelay, startSimulator, type Simulator, type SimulatorOptions } from '@cio-dw/cio-simulator';
import { createSource, type SourceDeps } from '../../src/source.js';
import { withDefaults, type CioConfig } from '../../src/config.js';
import type { CioClient } from '../../src/client/cio-client.js';

export const ALL_STREAMS = ['campaigns', 'campaign_actions', 'broadcasts', 'broadcast_actions', 'newsletters', 'newsletter_contents', 'segments', 'deliveries', 'metrics', 'delivery_contents', 'people', 'attributes'];
export type Row = Record<string, unknown>;

/**
 * A tiny simulated workspace without rate limiting. Its archived_message quota is lifted (and configFor
 * sets a matching budget) so general tests read every delivery's content; the documented 100 a day is
 * tested in delivery-contents-quota.test.ts.
 */
export async function startSim(o: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ size: 'tiny', seed: 7, rateLimit: { perSecond: 0 }, archivedMessagesPerDay: 0, ...o });
}

/** The source's default settle time (spec.json settle_seconds). */
export const SETTLE_S = 300;

/** Moves the simulator clock until everything that happened so far is listed and settled for the source. */
export function letSettle(sim: Simulator): number {
  return sim.control.advanceClock(maxVisibilityDelay(sim.truth.realism) + SETTLE_S + 1);
}

export function configFor(sim: Simulator, over: Partial<CioConfig> = {}): CioConfig {
  return withDefaults({
    app_api_key: sim.apiKey, workspace_id: sim.workspaceId, region: sim.region === 'eu' ? 'EU' : 'US',
    start_date: new Date((sim.control.now() - 100 * 86400) * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
    api_url: sim.baseUrl, lookback_days: 7, window_days: 30, archived_messages_per_day: 1_000_000, ...over,
  });
}

export function catalogOf(streams: string[], mode: SyncMode = 'incremental'): ConfiguredAirbyteCatalog {
  return { streams: streams.map((name) => ({ stream: { name, json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'] }, sync_mode: mode, destination_sync_mode: 'append' })) } as ConfiguredAirbyteCatalog;
}

export interface SyncResult {
  records: Map<string, Row[]>;
  /** Every STATE in order, with the stream it belongs to. */
  checkpoints: { stream: string; state: unknown; recordsBefore: number }[];
  /** The last state per stream (what the next sync gets). */
  state: Map<string, unknown>;
  requests: number;
  client: CioClient | undefined;
  error: unknown;
  logs: { level: string; message: string }[];
  emitter: MemoryEmitter;
}

export async function runSync(sim: Simulator, o: {
  streams?: string[]; state?: Map<string, unknown>; config?: Partial<CioConfig>; deps?: SourceDeps; mode?: SyncMode; signal?: AbortSignal;
} = {}): Promise<SyncResult> {
  const streams = o.streams ?? ALL_STREAMS;
  let client: CioClient | undefined;
  const source = createSource({
    now: () => sim.control.now() * 1000,
    limiter: new RateLimiter({ perSecond: 2000, clock: systemClock }),
    backoff: { baseMs: 5, capMs: 50 },
    ...o.deps,
    onClient: (c) => { client = c; o.deps?.onClient?.(c); },
  });
  const emitter = new MemoryEmitter();
  const logger = memoryLogger();
  let error: unknown;
  try {
    await readSource(source, configFor(sim, o.config), catalogOf(streams, o.mode), o.state ?? new Map(), { emitter, logger, clock: systemClock, ...(o.signal ? { signal: o.signal } : {}) });
  } catch (e) { error = e; }
  const records = new Map<string, Row[]>(streams.map((s) => [s, []]));
  const checkpoints: SyncResult['checkpoints'] = [];
  const state = new Map(o.state ?? []);
  const counts = new Map<string, number>();
  for (const m of emitter.messages) {
    if (m.type === 'RECORD' && m.record) {
      records.get(m.record.stream)!.push(m.record.data as Row);
      counts.set(m.record.stream, (counts.get(m.record.stream) ?? 0) + 1);
    } else if (m.type === 'STATE' && m.state?.stream) {
      const name = m.state.stream.stream_descriptor.name;
      checkpoints.push({ stream: name, state: m.state.stream.stream_state, recordsBefore: counts.get(name) ?? 0 });
      state.set(name, m.state.stream.stream_state);
    }
  }
  return { records, checkpoints, state, requests: client?.stats.requests ?? 0, client, error, logs: logger.lines, emitter };
}

/** Stable identity of a row per stream (its primary key). */
export function keyOf(stream: string, r: Row): string {
  switch (stream) {
    case 'deliveries': case 'delivery_contents': return String(r['delivery_id']);
    case 'metrics': return String(r['event_id']);
    case 'people': return `${String(r['internal_customer_id'])}|${String(r['updated_at'])}|${String(r['deleted'])}`;
    case 'attributes': return `${String(r['internal_customer_id'])}|${String(r['attribute_name'])}|${String(r['timestamp'])}`;
    case 'campaign_actions': return `${String(r['campaign_id'])}|${String(r['id'])}`;
    case 'broadcast_actions': return `${String(r['broadcast_id'])}|${String(r['id'])}`;
    case 'newsletter_contents': return `${String(r['newsletter_id'])}|${String(r['id'])}`;
    default: return `${String(r['id'])}|${String(r['updated'] ?? r['updated_at'])}`;
  }
}

export function keys(stream: string, rows: Row[] | undefined): string[] {
  return (rows ?? []).map((r) => keyOf(stream, r)).sort();
}
