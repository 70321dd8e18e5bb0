// Benchmark: a first sync of `people` for 10k and 100k people, through search + bulk attributes and
// through the exports API, against the simulator in its own process rate-limited to 10 requests/s.
// Reports requests and wall time, and projects both to 10 million people: search is rate-bound
// (requests / 10 per second); the exports path's time is fitted as a + b·N from the two sizes (it does
// not include Customer.io's own time to build the export, which the simulator does not model).
// Usage: npm run bench -- source-standard people   (writes bench/results/source-standard-people.{json,md})
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { loadavg } from 'node:os';
import { memoryLogger, readSource, systemClock, type AirbyteMessage, type Emitter } from '@cio-dw/common';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CLOCK_START } from '@cio-dw/cio-simulator';
import { createSource } from '../src/source.js';
import { withDefaults } from '../src/config.js';
import type { CioClient } from '../src/client/cio-client.js';

const SIZES = (process.env.BENCH_PEOPLE ?? '10000,100000').split(',').map(Number);
const TARGET = 10_000_000;
type Path = 'search' | 'exports';

async function run(people: number, path: Path): Promise<{ people: number; path: Path; requests: number; seconds: number; records: number; error: string | null }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.resolve('@cio-dw/cio-simulator/bin/cio-simulator.js')),
    '--seed', '42', '--people', String(people), '--deliveries', '0', '--activities', '0', '--rate-limit', '10'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const first = await new Promise<string>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`cio-simulator exited with ${code}`)));
      createInterface({ input: child.stdout! }).once('line', resolve);
    });
    const sim = JSON.parse(first) as { baseUrl: string; apiKey: string; workspaceId: number };
    let client: CioClient | undefined;
    const source = createSource({ now: () => DEFAULT_CLOCK_START * 1000, onClient: (c) => { client = c; }, exportPollMs: 200 });
    const config = withDefaults({
      app_api_key: sim.apiKey, workspace_id: sim.workspaceId, api_url: sim.baseUrl, start_date: '2026-01-01T00:00:00Z',
      people_export_threshold: path === 'exports' ? 0 : Number.MAX_SAFE_INTEGER,
    });
    let records = 0;
    const emitter: Emitter = { async emit(m: AirbyteMessage) { if (m.type === 'RECORD') records++; }, flush: async () => {} };
    const catalog = { streams: [{ stream: { name: 'people', json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'] }, sync_mode: 'incremental', destination_sync_mode: 'append' }] };
    const t0 = performance.now();
    let error: string | null = null;
    try { await readSource(source, config, catalog as never, new Map(), { emitter, logger: memoryLogger(), clock: systemClock }); } catch (e) { error = String(e); }
    // The exports path's file is fetched outside the App API client: +1 request.
    const requests = (client?.stats.requests ?? 0) + (path === 'exports' ? 1 : 0);
    return { people, path, requests, seconds: Math.round((performance.now() - t0) / 100) / 10, records, error };
  } finally {
    child.removeAllListeners('exit');
    child.kill('SIGTERM');
  }
}

const load = loadavg().map((x) => Math.round(x * 10) / 10);
const runs: Awaited<ReturnType<typeof run>>[] = [];
for (const n of SIZES) for (const p of ['search', 'exports'] as const) runs.push(await run(n, p));
const of = (p: Path) => runs.filter((r) => r.path === p).sort((a, b) => a.people - b.people);
const [s1, s2] = [of('search').at(0)!, of('search').at(-1)!];
const [e1, e2] = [of('exports').at(0)!, of('exports').at(-1)!];
const searchReq = Math.ceil(TARGET / 1000) + Math.ceil(TARGET / 100);
const slope = e2.people === e1.people ? e2.seconds / e2.people : (e2.seconds - e1.seconds) / (e2.people - e1.people);
const fixed = Math.max(0, e1.seconds - slope * e1.people);
const projection = {
  people: TARGET,
  search: { requests: searchReq, hours_at_10_rps: Math.round((searchReq / 10 / 3600) * 10) / 10, measured_s_per_1k_people: Math.round((s2.seconds / s2.people) * 1000 * 100) / 100 },
  exports: { requests: e2.requests, hours: Math.round(((fixed + slope * TARGET) / 3600) * 10) / 10, note: 'connector side only: download + parse + records; Customer.io builds the export file first (not modelled)' },
};
const result = { benchmark: 'source-standard-people', date: new Date().toISOString(), node: process.version, loadavg_1_5_15: load, runs, projection };
const md = `# source-standard people benchmark\n\nFirst sync of \`people\` against the simulator (10 req/s, own process). Load average at start: ${load.join(' / ')} (2 cores shared).\n\n`
  + `| people | path | requests | wall time | records |\n|---|---|---|---|---|\n`
  + runs.map((r) => `| ${r.people} | ${r.path} | ${r.requests} | ${r.seconds} s | ${r.records}${r.error ? ` (error: ${r.error})` : ''} |`).join('\n')
  + `\n\nProjected to ${TARGET.toLocaleString('en')} people: search ${searchReq} requests ≈ ${projection.search.hours_at_10_rps} h at 10 req/s; `
  + `exports ${projection.exports.requests} requests, ≈ ${projection.exports.hours} h of download/parse/emit on this machine (${projection.exports.note}).\n\n${result.date}, Node ${process.version}\n`;
const dir = new URL('../../bench/results/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('source-standard-people.json', dir), JSON.stringify(result, null, 2) + '\n');
writeFileSync(new URL('source-standard-people.md', dir), md);
process.stdout.write(md);
if (runs.some((r) => r.error)) process.exit(1);
