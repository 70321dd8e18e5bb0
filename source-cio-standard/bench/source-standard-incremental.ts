// Benchmark: a full sync plus three incremental syncs of the default streams on a 1k-person workspace
// (simulator size `small`: 1 000 people, 20 000 deliveries, 5 000 activities) rate-limited to 10 req/s,
// with 15 simulated busy minutes between syncs (1 delivery/s, late metrics, people churn). Run twice on
// identical workspaces: with the default settle/overlap, and with no overlap, to show what the overlap
// costs in requests. Reports requests, 429s and records/s per sync. Writes
// bench/results/source-standard-incremental.{json,md}.
// Usage: npm run bench -- source-standard incremental
// The simulator runs in this process here (the source must read its clock); at 10 req/s the rate limit,
// not the simulator, sets the pace.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Writable } from 'node:stream';
import { LineEmitter, memoryLogger, readSource, systemClock, type AirbyteMessage, type Emitter } from '@cio-dw/common';
import { startSimulator } from '@cio-dw/cio-simulator';
import { createSource } from '../src/source.js';
import { withDefaults, type CioConfig } from '../src/config.js';
import type { CioClient } from '../src/client/cio-client.js';

const STREAMS = ['campaigns', 'campaign_actions', 'broadcasts', 'broadcast_actions', 'newsletters', 'newsletter_contents', 'segments', 'deliveries', 'metrics', 'people', 'attributes'];
const GAP_S = 900;

interface SyncFigures { sync: string; seconds: number; requests: number; http_429: number; records: number; records_per_s: number; by_stream: Record<string, number> }

async function scenario(label: string, over: Partial<CioConfig>): Promise<SyncFigures[]> {
  const sim = await startSimulator({ seed: 42, size: 'small', rateLimit: { perSecond: 10 }, busy: { deliveriesPerSecond: 1, eventsPerSecond: 1 } });
  sim.busy!.pause(); // busy stretches are played out between syncs, so both scenarios see the same data
  const out: SyncFigures[] = [];
  try {
    const config = withDefaults({
      app_api_key: sim.apiKey, workspace_id: sim.workspaceId, api_url: sim.baseUrl, window_days: 30,
      start_date: new Date((sim.control.now() - (sim.sizes.spanDays + 1) * 86400) * 1000).toISOString().replace(/\.\d+Z$/, 'Z'), ...over,
    });
    let state = new Map<string, unknown>();
    for (let k = 0; k < 4; k++) {
      if (k > 0) sim.busy!.playOut(GAP_S);
      let client: CioClient | undefined;
      const source = createSource({ now: () => sim.control.now() * 1000, onClient: (c) => { client = c; } });
      const counts = new Map<string, number>();
      const lines = new LineEmitter(new Writable({ write(_c, _e, cb) { cb(); } }));
      const next = new Map(state);
      const emitter: Emitter = {
        async emit(m: AirbyteMessage) {
          if (m.type === 'RECORD' && m.record) counts.set(m.record.stream, (counts.get(m.record.stream) ?? 0) + 1);
          if (m.type === 'STATE' && m.state?.stream) next.set(m.state.stream.stream_descriptor.name, m.state.stream.stream_state);
          await lines.emit(m);
        },
        flush: () => lines.flush(),
      };
      const catalog = { streams: STREAMS.map((name) => ({ stream: { name, json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'] }, sync_mode: 'incremental', destination_sync_mode: 'append' })) };
      const t0 = performance.now();
      await readSource(source, config, catalog as never, state, { emitter, logger: memoryLogger(), clock: systemClock });
      await emitter.flush();
      const seconds = (performance.now() - t0) / 1000;
      state = next;
      const records = [...counts.values()].reduce((a, b) => a + b, 0);
      out.push({ sync: k === 0 ? 'full' : `incremental ${k}`, seconds: round(seconds), requests: client?.stats.requests ?? 0, http_429: client?.stats.rateLimited ?? 0,
        records, records_per_s: Math.round(records / seconds), by_stream: Object.fromEntries(counts) });
      process.stderr.write(`bench: ${label} ${out[k]!.sync}: ${out[k]!.requests} requests, ${records} records in ${out[k]!.seconds} s\n`);
    }
  } finally { await sim.close(); }
  return out;
}

function round(x: number): number { return Math.round(x * 10) / 10; }

const load = loadavg()[0]!;
const withOverlap = await scenario('default overlap', {});
const noOverlap = await scenario('no overlap', { overlap_seconds: 0, delivery_overlap_seconds: 0 });
const extra = withOverlap.map((s, i) => s.requests - noOverlap[i]!.requests);
// Rows that showed up late (late metrics, late activities) and were caught only thanks to the overlap.
const caught = withOverlap.map((s, i) => s.records - noOverlap[i]!.records);
const result = {
  benchmark: 'source-standard-incremental', date: new Date().toISOString(), node: process.version, load_average_1m_at_start: round(load),
  simulator: { size: 'small', people: 1000, rate_limit_per_s: 10, busy_gap_s: GAP_S, process: 'same' }, streams: STREAMS,
  default_overlap: withOverlap, no_overlap: noOverlap, overlap_extra_requests: extra, records_only_with_overlap: caught,
  http_429_total: [...withOverlap, ...noOverlap].reduce((n, s) => n + s.http_429, 0),
};
const row = (s: SyncFigures, i: number) => `| ${s.sync} | ${s.seconds} s | ${s.requests} | ${extra[i]} | ${s.http_429} | ${s.records} | ${caught[i]} | ${s.records_per_s} |`;
const md = `# source-standard incremental benchmark\n\nFull + 3 incremental syncs of ${STREAMS.length} streams (delivery_contents off) on the simulator's \`small\` workspace (1 000 people), rate limit 10 req/s, ${GAP_S / 60} busy simulated minutes between syncs. Default settle 300 s, overlap 6 h (metrics, activities), delivery overlap 30 min. Load average at start: ${result.load_average_1m_at_start}.\n\n`
  + `| sync | wall | requests | extra requests for the overlap | 429s | records | records only emitted thanks to the overlap | records/s |\n|---|---|---|---|---|---|---|---|\n`
  + withOverlap.map(row).join('\n')
  + `\n\nWithout overlap (overlap_seconds = delivery_overlap_seconds = 0): ${noOverlap.map((s) => `${s.sync} ${s.requests} requests`).join(', ')}.\n\n${result.date}, Node ${process.version}\n`;
const dir = new URL('../../bench/results/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('source-standard-incremental.json', dir), JSON.stringify(result, null, 2) + '\n');
writeFileSync(new URL('source-standard-incremental.md', dir), md);
process.stdout.write(md);
