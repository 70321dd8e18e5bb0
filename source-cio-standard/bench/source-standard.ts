// Benchmark: a full sync of ≥100k deliveries (deliveries + metrics streams) against the simulator
// rate-limited to 10 requests/s, with the connector's default limiter (requests_per_second = 10).
// Reports requests, share of the 10 req/s budget used, 429s, records/s. Writes bench/results/source-standard.{json,md}.
// The simulator runs in its own process (as the real API would), so its work does not delay ours.
// Usage: npm run bench -- source-standard [deliveries]   (needs cio-simulator built: npm run build)
//        npm run bench -- source-standard incremental   (full + 3 incremental syncs; source-standard-incremental.ts)
//        npm run bench -- source-standard people   (people at scale: ./people-scale.ts)
import { mkdirSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { LineEmitter, fetchTransport, memoryLogger, readSource, systemClock, type AirbyteMessage, type Emitter } from '@cio-dw/common';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { DEFAULT_CLOCK_START } from '@cio-dw/cio-simulator';
import { createSource } from '../src/source.js';
import { withDefaults } from '../src/config.js';
import type { CioClient } from '../src/client/cio-client.js';

if (process.argv[2] === 'incremental') {
  await import('./source-standard-incremental.js');
  process.exit(0);
}
if (process.argv[2] === 'people') {
  await import('./people-scale.js');
  process.exit(0);
}
const deliveries = Number(process.argv[2] ?? 100_000);
const streams = (process.env.BENCH_STREAMS ?? 'deliveries,metrics').split(',');
const child = spawn(process.execPath, [fileURLToPath(import.meta.resolve('@cio-dw/cio-simulator/bin/cio-simulator.js')),
  '--seed', '42', '--deliveries', String(deliveries), '--rate-limit', '10'], { stdio: ['ignore', 'pipe', 'inherit'] });
const first = await new Promise<string>((resolve, reject) => {
  child.once('error', reject);
  child.once('exit', (code) => reject(new Error(`cio-simulator exited with ${code}`)));
  createInterface({ input: child.stdout! }).once('line', resolve);
});
const sim = JSON.parse(first) as { baseUrl: string; apiKey: string; workspaceId: number; sizes: { spanDays: number } };
const nowMs = DEFAULT_CLOCK_START * 1000; // the simulator's clock does not move unless told to
let client: CioClient | undefined;
const inner = fetchTransport();
const latencies: number[] = [];
const transport = { request: async (req: Parameters<typeof inner.request>[0]) => {
  const t = performance.now();
  try { return await inner.request(req); } finally { latencies.push(performance.now() - t); }
} };
const source = createSource({ now: () => nowMs, transport, onClient: (c) => { client = c; } });
const config = withDefaults({
  app_api_key: sim.apiKey, workspace_id: sim.workspaceId, api_url: sim.baseUrl,
  start_date: new Date(nowMs - (sim.sizes.spanDays + 1) * 86400_000).toISOString().replace(/\.\d+Z$/, 'Z'), window_days: 30,
});
const counts = new Map<string, number>();
const sink = new Writable({ write(_c, _e, cb) { cb(); } });
const lines = new LineEmitter(sink);
const emitter: Emitter = {
  async emit(m: AirbyteMessage) { if (m.type === 'RECORD' && m.record) counts.set(m.record.stream, (counts.get(m.record.stream) ?? 0) + 1); await lines.emit(m); },
  flush: () => lines.flush(),
};
const catalog = { streams: streams.map((name) => ({ stream: { name, json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'] }, sync_mode: 'incremental', destination_sync_mode: 'append' })) };
const logger = memoryLogger();
// Warm the simulator up (JIT, lazy generation) outside the measured time; it is not the connector's cost.
for (let i = 0; i < 3; i++) {
  await fetch(`${sim.baseUrl}/messages?limit=1000&start_ts=${Math.floor(nowMs / 1000) - (i + 1) * 30 * 86400}&end_ts=${Math.floor(nowMs / 1000)}`, { headers: { authorization: `Bearer ${sim.apiKey}` } }).then((r) => r.arrayBuffer());
  await new Promise((r) => setTimeout(r, 1100));
}
const t0 = performance.now();
let error: string | undefined;
try {
  await readSource(source, config, catalog as never, new Map(), { emitter, logger, clock: systemClock });
} catch (e) { error = String(e); }
await emitter.flush();
const seconds = (performance.now() - t0) / 1000;
child.removeAllListeners('exit');
child.kill('SIGTERM');

const requests = client?.stats.requests ?? 0;
const records = [...counts.values()].reduce((a, b) => a + b, 0);
const result = {
  benchmark: 'source-standard', date: new Date().toISOString(), node: process.version,
  simulator: { deliveries, rate_limit_per_s: 10, retry_after: true, process: 'separate' },
  streams, error: error ?? null,
  seconds: round(seconds), requests, 
  budget_used_pct: round((100 * requests) / (seconds * 10)),
  http_429: client?.stats.rateLimited ?? 0, retries: client?.stats.retries ?? 0,
  records, records_by_stream: Object.fromEntries(counts), records_per_s: Math.round(records / seconds),
  deliveries_read: counts.get('deliveries') ?? 0,
  latency_ms: pct(latencies),
  targets: { budget_used_pct: '>= 95', http_429: 0, deliveries: '>= 100000' },
};
function round(x: number): number { return Math.round(x * 10) / 10; }
function pct(xs: number[]): Record<string, number> {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => round(s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}
const md = `# source-standard benchmark\n\nFull sync of ${streams.join(' + ')} against the simulator (${deliveries} deliveries, rate limit 10 req/s, Retry-After on).\n\n`
  + `| metric | value | target |\n|---|---|---|\n| wall time | ${result.seconds} s | |\n| requests | ${requests} | |\n| share of 10 req/s budget used | ${result.budget_used_pct} % | ≥ 95 % |\n`
  + `| 429s received | ${result.http_429} | 0 |\n| records | ${records} (${Object.entries(result.records_by_stream).map(([k, v]) => `${k} ${v}`).join(', ')}) | |\n| records/s | ${result.records_per_s} | |\n| request latency p50/p90/max | ${result.latency_ms['p50']}/${result.latency_ms['p90']}/${result.latency_ms['max']} ms | |\n`
  + (error ? `\nError: ${error}\n` : '') + `\n${result.date}, Node ${process.version}\n`;
for (const dir of [new URL('../../bench/results/', import.meta.url)]) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL('source-standard.json', dir), JSON.stringify(result, null, 2) + '\n');
  writeFileSync(new URL('source-standard.md', dir), md);
}
process.stdout.write(md);
if (error) process.exit(1);
