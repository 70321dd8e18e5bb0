// Collector benchmark (`npm run bench -- collector [--duration 10]`): events/s and p50/p99 latency with
// durable acks (every 200 = the call is in an fsynced spool object) on the local spool, for single
// events and for batches, with autocannon against the built collector in a child process (pinned to
// one core with taskset when available). Writes bench/results/collector.json and .md.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

interface Histogram { average: number; p50: number; p90: number; p99: number; max: number }
interface AutocannonResult { requests: Histogram & { total: number }; latency: Histogram; non2xx: number; errors: number; timeouts: number; duration: number; '2xx': number }
const autocannon = createRequire(import.meta.url)('autocannon') as (o: Record<string, unknown>) => Promise<AutocannonResult>;

const root = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : dflt; };
const duration = opt('duration', 10);
const KEY = 'bench-write-key-0001';
const auth = `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`;

function event(i: number | string): Record<string, unknown> {
  return {
    type: 'track', userId: `user-${i}`, event: 'Order Completed', messageId: `[<id>]-${i}`,
    properties: { order_id: `o-${i}`, total: 42.5, currency: 'USD', items: [{ sku: 'sku-1', qty: 2 }] },
    context: { ip: '203.0.113.9', library: { name: 'bench', version: '1.0.0' }, userAgent: 'Mozilla/5.0 (bench)' },
    timestamp: '2026-01-01T00:00:00.000Z',
  };
}

async function startCollector(spool: string, dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const cfg = join(dir, 'collector.json');
  writeFileSync(cfg, JSON.stringify({ listen: { host: '127.0.0.1', port: 0 }, write_keys: [KEY], spool: { storage: 'local', path: spool }, retention_hours: 0 }));
  const bin = join(root, 'source-cio-advanced/bin/source-cio-advanced.js');
  const pin = spawnSync('taskset', ['--version']).status === 0;
  const cmd = pin ? 'taskset' : process.execPath;
  const argv = pin ? ['-c', '0', process.execPath, bin, 'collect', '--config', cfg] : [bin, 'collect', '--config', cfg];
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (l) => { const m = /listening on (http:\/\/[0-9.]+:\d+)/.exec(l); if (m) resolve(m[1]!); });
    child.once('exit', (c) => reject(new Error(`collector exited ${c}`)));
  });
  return { url, stop: () => new Promise<void>((r) => { child.once('exit', () => r()); child.kill('SIGTERM'); }) };
}

function spoolCalls(spool: string): { objects: number; calls: number } {
  let objects = 0; let calls = 0;
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.jsonl.gz')) {
        objects++;
        const raw = gunzipSync(readFileSync(p));
        calls += (JSON.parse(raw.subarray(0, raw.indexOf(10)).toString()) as { count: number }).count;
      }
    }
  };
  walk(spool);
  return { objects, calls };
}

interface Scenario { name: string; path: string; body: string; eventsPerRequest: number; connections: number }
const batchSize = opt('batch', 100);
const scenarios: Scenario[] = [
  { name: 'single events (/v1/track)', path: '/v1/track', body: JSON.stringify(event('s')), eventsPerRequest: 1, connections: opt('single-connections', 64) },
  { name: `batches of ${batchSize} (/v1/batch)`, path: '/v1/batch', body: JSON.stringify({ batch: Array.from({ length: batchSize }, (_, i) => event(i)) }), eventsPerRequest: batchSize, connections: opt('batch-connections', 8) },
];

const results = [];
for (const s of scenarios) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-collector-'));
  const spool = join(dir, 'spool');
  const c = await startCollector(spool, dir);
  // Warm up, then measure.
  await autocannon({ url: c.url + s.path, method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: s.body, idReplacement: true, connections: s.connections, duration: 2 });
  const before = spoolCalls(spool);
  const r = await autocannon({ url: c.url + s.path, method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: s.body, idReplacement: true, connections: s.connections, duration });
  await c.stop();
  const after = spoolCalls(spool);
  const ok = r['2xx'];
  const row = {
    scenario: s.name, connections: s.connections, events_per_request: s.eventsPerRequest, body_bytes: Buffer.byteLength(s.body), duration_s: r.duration,
    requests_per_s: Math.round(ok / r.duration), events_per_s: Math.round((ok * s.eventsPerRequest) / r.duration),
    latency_ms: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, average: r.latency.average },
    acknowledged_events: ok * s.eventsPerRequest, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts,
    spool: { objects: after.objects - before.objects, calls: after.calls - before.calls, calls_per_object: Math.round((after.calls - before.calls) / Math.max(1, after.objects - before.objects)) },
  };
  results.push(row);
  console.error(`${s.name}: ${row.events_per_s} events/s, ${row.requests_per_s} req/s, p50 ${row.latency_ms.p50} ms, p99 ${row.latency_ms.p99} ms, spool ${row.spool.calls} calls in ${row.spool.objects} objects (≥ ${row.acknowledged_events} acknowledged), non2xx ${row.non2xx}`);
  rmSync(dir, { recursive: true, force: true });
}

const out = {
  benchmark: 'collector', date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, cpus: cpus().length,
  collector_pinned_to_one_core: spawnSync('taskset', ['--version']).status === 0, durable_acks: 'local folder spool, fsync + link per group commit',
  target: { events_per_s_batches: 20_000, p99_ms: 50 }, results,
};
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/collector.json'), `${JSON.stringify(out, null, 2)}\n`);
const md = [
  '# Collector benchmark', '',
  `${out.date}, Node ${out.node}, ${out.cpus} × ${out.cpu}; collector ${out.collector_pinned_to_one_core ? 'pinned to one core (taskset -c 0)' : 'not pinned'}; ` +
  'every 200 means the call is in an fsynced spool object (group commit). Load: autocannon in the bench process.', '',
  '| scenario | connections | events/s | requests/s | p50 ms | p99 ms | max ms | non-2xx | spool calls / objects |',
  '|---|---|---|---|---|---|---|---|---|',
  ...results.map((r) => `| ${r.scenario} | ${r.connections} | ${r.events_per_s} | ${r.requests_per_s} | ${r.latency_ms.p50} | ${r.latency_ms.p99} | ${r.latency_ms.max} | ${r.non2xx} | ${r.spool.calls} / ${r.spool.objects} |`),
  '', `Target: ≥ ${out.target.events_per_s_batches} events/s via batches on one core, p99 < ${out.target.p99_ms} ms.`, '',
].join('\n');
writeFileSync(join(root, 'bench/results/collector.md'), md);
console.error(md);
