// Destination benchmark: N generated Customer.io-like delivery records (seeded mulberry32) through
// the real CLI (child process, /usr/bin/time -v for peak RSS) for each format, against DuckDB
// converting the same JSONL to Parquet zstd with 2 threads. Usage: bench/destination.ts [records=1000000] [large=5000000]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, properties } from './deliveries.js';
import { runWrite } from './run-write.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const N = Number(process.argv[2] ?? 1_000_000);
const LARGE = Number(process.argv[3] ?? 5_000_000);

interface Run { label: string; records: number; seconds: number; recordsPerSecond: number; peakRssMb: number; outputMb: number; states: number }

async function runCli(label: string, dir: string, input: string, format: Record<string, unknown>, records: number): Promise<Run> {
  const outDir = join(dir, `out-${label}`);
  const config = join(dir, `config-${label}.json`);
  const catalog = join(dir, 'catalog.json');
  await writeFile(config, JSON.stringify({ store: { store_type: 'local', path: outDir }, format }));
  await writeFile(catalog, JSON.stringify({ streams: [{ stream: { name: 'deliveries', json_schema: { type: 'object', properties }, supported_sync_modes: ['incremental'] }, sync_mode: 'incremental', destination_sync_mode: 'append', generation_id: 1, sync_id: 1 }] }));
  const { seconds, peakRssMb, states } = await runWrite(label, config, catalog, input);
  const du = spawnSync('du', ['-sb', outDir]).stdout.toString();
  const result = { label, records, seconds: +seconds.toFixed(2), recordsPerSecond: Math.round(records / seconds), peakRssMb, outputMb: +(Number(du.split('\t')[0]) / 1e6).toFixed(1), states };
  console.error(JSON.stringify(result));
  await rm(outDir, { recursive: true, force: true });
  return result;
}

// DuckDB runs in its own child process (so its peak RSS is its own), timed from the COPY only.
async function duckdb(dataPath: string, out: string, records: number): Promise<Run> {
  const script = `import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const c = await db.connect();
const t0 = performance.now();
await c.run(\`COPY (SELECT * FROM read_json_auto('${dataPath}')) TO '${out}' (FORMAT parquet, COMPRESSION zstd)\`);
console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000 }));`;
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`duckdb: exit ${r.status}\n${r.stderr.slice(-2000)}`);
  const seconds = (JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number }).seconds;
  const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? 0);
  const res = {
    label: 'duckdb-jsonl-to-parquet-zstd-2threads', records, seconds: +seconds.toFixed(2), recordsPerSecond: Math.round(records / seconds),
    peakRssMb: Math.round(rssKb / 1024), outputMb: +(statSync(out).size / 1e6).toFixed(1), states: 0,
  };
  console.error(JSON.stringify(res));
  return res;
}

const load = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const dir = await mkdtemp(join(tmpdir(), 'bench-dest-'));
try {
  spawnSync('npx', ['tsc', '-b', 'destination-bucket'], { cwd: root, stdio: 'inherit' });
  const input = join(dir, 'events.jsonl'); const data = join(dir, 'data.jsonl');
  const bytes = await generate(input, data, N);
  console.error(`generated ${N} records, ${(bytes / 1e6).toFixed(0)} MB`);
  const loadBefore = load();
  const runs: Run[] = [];
  runs.push(await duckdb(data, join(dir, 'duck.parquet'), N));
  runs.push(await runCli('parquet-zstd', dir, input, { format_type: 'parquet', compression: 'zstd' }, N));
  runs.push(await runCli('csv-gzip', dir, input, { format_type: 'csv', compression: 'gzip' }, N));
  runs.push(await runCli('jsonl-zstd', dir, input, { format_type: 'jsonl', compression: 'zstd' }, N));
  if (LARGE > N) {
    await rm(input); await rm(data); rmSync(join(dir, 'duck.parquet'), { force: true });
    await generate(input, data, LARGE);
    runs.push(await runCli('parquet-zstd-large', dir, input, { format_type: 'parquet', compression: 'zstd' }, LARGE));
  }
  const duck = runs[0]!;
  const pq = runs[1]!;
  const large = runs.find((r) => r.label === 'parquet-zstd-large');
  const summary = {
    machine: { node: process.version, cpus: (await import('node:os')).cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: load() },
    measuredAt: new Date().toISOString(),
    records: N, inputMb: +(bytes / 1e6).toFixed(0), runs,
    parquetVsDuckdb: +(pq.recordsPerSecond / duck.recordsPerSecond).toFixed(2),
    peakRssSmallMb: pq.peakRssMb, peakRssLargeMb: large?.peakRssMb ?? null,
    targets: { parquetVsDuckdbMin: 0.3, peakRssMaxMb: 400 },
  };
  const resDir = join(root, 'bench/results');
  mkdirSync(resDir, { recursive: true });
  writeFileSync(join(resDir, 'destination.json'), JSON.stringify(summary, null, 2) + '\n');
  const md = [`# destination benchmark (${N.toLocaleString()} records, ${summary.inputMb} MB input)`, '',
    '| run | records | s | rec/s | peak RSS MB | output MB | states echoed |', '|---|---|---|---|---|---|---|',
    ...runs.map((r) => `| ${r.label} | ${r.records} | ${r.seconds} | ${r.recordsPerSecond} | ${r.peakRssMb} | ${r.outputMb} | ${r.states} |`), '',
    `Parquet vs DuckDB (2 threads): **${summary.parquetVsDuckdb}×** (target ≥ 0.3). Peak RSS ${summary.peakRssSmallMb} MB at ${N}, ${summary.peakRssLargeMb ?? 'n/a'} MB at ${LARGE} (target < 400, flat).`,
    `Each run is a separate child process; peak RSS is its maximum resident set size (/usr/bin/time -v), worker threads included. The destination runs read the RECORD/STATE file on stdin and write to a local folder; DuckDB reads the bare \`data\` JSONL (read_json_auto, inferred schema). Load average before/after: ${summary.machine.loadAverageBefore} / ${summary.machine.loadAverageAfter} (2 cores).`, ''].join('\n');
  writeFileSync(join(resDir, 'destination.md'), md);
  console.log(md);
} finally {
  await rm(dir, { recursive: true, force: true });
}
