// Destination benchmark, many streams: peak RSS of the real CLI (child process, /usr/bin/time -v) for
// 1, 100 and 1,000 Parquet streams (a few records each, interleaved), and throughput for N records over
// 3 interleaved streams against DuckDB converting the same rows (one Parquet zstd file per stream,
// 2 threads) in the same run, so machine load hits both. Usage: bench/streams.ts [records=1000000]
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { delivery, properties } from './deliveries.js';
import { runWrite } from './run-write.js';
import { mulberry32 } from './prng.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const N = Number(process.argv[2] ?? 1_000_000);
const STREAM_COUNTS = [1, 100, 1000];
const PER_STREAM = 3;
const load = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

interface Run { label: string; streams: number; records: number; seconds: number; recordsPerSecond: number; peakRssMb: number; states: number; loadAverage: string }

/** Writes the RECORD/STATE input (streams interleaved record by record) and one bare-data JSONL per stream. */
async function generate(dir: string, streams: string[], n: number, withData: boolean): Promise<string> {
  const r = mulberry32(42);
  const input = join(dir, `input-${streams.length}.jsonl`);
  const out = createWriteStream(input);
  const data = withData ? streams.map((s) => createWriteStream(join(dir, `data-${s}.jsonl`))) : [];
  const bufs = streams.map(() => '');
  let buf = '';
  const write = async (w: NodeJS.WritableStream, s: string): Promise<void> => { if (!w.write(s)) await new Promise<void>((res) => w.once('drain', () => res())); };
  for (let i = 0; i < n; i++) {
    const k = i % streams.length;
    const { created, d } = delivery(r, i);
    const dj = JSON.stringify(d);
    buf += `{"type":"RECORD","record":{"stream":"${streams[k]}","data":${dj},"emitted_at":${created * 1000}}}\n`;
    if (withData) bufs[k] += dj + '\n';
    if (i % 10000 === 9999 || i === n - 1) {
      for (const s of streams) buf += `{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"${s}"},"stream_state":{"i":${i}}}}}\n`;
      await write(out, buf); buf = '';
      for (let j = 0; j < data.length; j++) { await write(data[j]!, bufs[j]!); bufs[j] = ''; }
    }
  }
  await Promise.all([out, ...data].map((w) => new Promise<void>((res) => { w.end(() => res()); })));
  return input;
}

async function runCli(label: string, dir: string, input: string, streams: string[], records: number): Promise<Run> {
  const outDir = join(dir, `out-${label}`);
  const config = join(dir, `config-${label}.json`);
  const catalog = join(dir, `catalog-${label}.json`);
  await writeFile(config, JSON.stringify({ store: { store_type: 'local', path: outDir }, format: { format_type: 'parquet', compression: 'zstd' } }));
  await writeFile(catalog, JSON.stringify({ streams: streams.map((name) => ({ stream: { name, json_schema: { type: 'object', properties }, supported_sync_modes: ['incremental'] }, sync_mode: 'incremental', destination_sync_mode: 'append', generation_id: 1, sync_id: 1 })) }));
  const loadAverage = load();
  const { seconds, peakRssMb, states } = await runWrite(label, config, catalog, input);
  const res = { label, streams: streams.length, records, seconds: +seconds.toFixed(2), recordsPerSecond: Math.round(records / seconds), peakRssMb, states, loadAverage };
  console.error(JSON.stringify(res));
  await rm(outDir, { recursive: true, force: true });
  return res;
}

/** DuckDB converts each stream's rows to its own Parquet zstd file (2 threads), in its own process. */
function duckdb(dir: string, streams: string[], records: number): Run {
  const copies = streams.map((s) => `await c.run(\`COPY (SELECT * FROM read_json_auto('${join(dir, `data-${s}.jsonl`)}')) TO '${join(dir, `duck-${s}.parquet`)}' (FORMAT parquet, COMPRESSION zstd)\`);`).join('\n');
  const script = `import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const c = await db.connect();
const t0 = performance.now();
${copies}
console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000 }));`;
  const loadAverage = load();
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`duckdb: exit ${r.status}\n${r.stderr.slice(-2000)}`);
  const seconds = (JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number }).seconds;
  const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? 0);
  const res = { label: 'duckdb-3-streams-to-parquet-zstd-2threads', streams: streams.length, records, seconds: +seconds.toFixed(2), recordsPerSecond: Math.round(records / seconds), peakRssMb: Math.round(rssKb / 1024), states: 0, loadAverage };
  console.error(JSON.stringify(res));
  return res;
}

const dir = await mkdtemp(join(tmpdir(), 'bench-streams-'));
try {
  spawnSync('npx', ['tsc', '-b', 'destination-bucket'], { cwd: root, stdio: 'inherit' });
  const runs: Run[] = [];
  for (const count of STREAM_COUNTS) {
    const names = Array.from({ length: count }, (_, i) => `stream_${String(i).padStart(4, '0')}`);
    const input = await generate(dir, names, count * PER_STREAM, false);
    runs.push(await runCli(`parquet-${count}-streams`, dir, input, names, count * PER_STREAM));
  }
  const three = ['deliveries', 'messages', 'events'];
  const input = await generate(dir, three, N, true);
  const duck = duckdb(dir, three, N);
  const ours = await runCli('parquet-3-interleaved', dir, input, three, N);
  runs.push(duck, ours);
  const summary = {
    machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
    measuredAt: new Date().toISOString(), records: N, runs,
    peakRssByStreams: Object.fromEntries(runs.filter((r) => r.label.endsWith('-streams')).map((r) => [r.streams, r.peakRssMb])),
    threeStreamsVsDuckdb: +(ours.recordsPerSecond / duck.recordsPerSecond).toFixed(2),
    targets: { peakRssMaxMb: 400 },
  };
  const resDir = join(root, 'bench/results');
  mkdirSync(resDir, { recursive: true });
  writeFileSync(join(resDir, 'destination-streams.json'), JSON.stringify(summary, null, 2) + '\n');
  const md = [`# destination benchmark: many streams (Parquet zstd)`, '',
    '| run | streams | records | s | rec/s | peak RSS MB | states echoed | load average (1/5/15 min) |', '|---|---|---|---|---|---|---|---|',
    ...runs.map((r) => `| ${r.label} | ${r.streams} | ${r.records} | ${r.seconds} | ${r.recordsPerSecond} | ${r.peakRssMb} | ${r.states} | ${r.loadAverage} |`), '',
    `Peak RSS by stream count (${PER_STREAM} records each, interleaved): ${Object.entries(summary.peakRssByStreams).map(([k, v]) => `${k}: ${v} MB`).join(', ')} (target < 400).`,
    `${N.toLocaleString()} records over 3 interleaved streams vs DuckDB on the same rows, whole process: **${summary.threeStreamsVsDuckdb}×**.`,
    'Each run is a separate child process (peak RSS = maximum resident set size from /usr/bin/time -v, worker threads included); DuckDB is measured in the same run from its COPY statements only, so the ratio is as fair as the machine load allows (2 cores shared).', ''].join('\n');
  writeFileSync(join(resDir, 'destination-streams.md'), md);
  console.log(md);
} finally {
  await rm(dir, { recursive: true, force: true });
}
