// Destination throughput by store: the same generated delivery records (delivery-records.ts) written
// as Parquet zstd by the real CLI (child process) to a local folder, to the S3 test server (s3rver)
// and to Azurite (Azure Blob), one run each, in one process tree on this machine.
// Usage: bench/destination-stores.ts [records=200000]. Results: bench/results/destination-stores.{json,md}.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAzuriteServer, startS3TestServer } from '@cio-dw/testkit';
import { generate, properties } from './deliveries.js';
import { runWrite } from './run-write.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const N = Number(process.argv[2] ?? 200_000);
const load = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

interface Run { store: string; records: number; seconds: number; recordsPerSecond: number; peakRssMb: number; states: number; loadAverage: string }

async function run(label: string, dir: string, input: string, store: Record<string, unknown>): Promise<Run> {
  const config = join(dir, `config-${label}.json`);
  const catalog = join(dir, 'catalog.json');
  await writeFile(config, JSON.stringify({ store, format: { format_type: 'parquet', compression: 'zstd' } }));
  await writeFile(catalog, JSON.stringify({ streams: [{ stream: { name: 'deliveries', json_schema: { type: 'object', properties }, supported_sync_modes: ['incremental'] }, sync_mode: 'incremental', destination_sync_mode: 'append', generation_id: 1, sync_id: 1 }] }));
  const { seconds, peakRssMb, states } = await runWrite(label, config, catalog, input);
  const r = { store: label, records: N, seconds: +seconds.toFixed(2), recordsPerSecond: Math.round(N / seconds), peakRssMb, states, loadAverage: load() };
  console.error(JSON.stringify(r));
  return r;
}

const dir = await mkdtemp(join(tmpdir(), 'bench-stores-'));
const s3 = await startS3TestServer({ buckets: ['bench'] });
const az = await startAzuriteServer({ containers: ['bench'] });
try {
  spawnSync('npx', ['tsc', '-b', 'destination-bucket'], { cwd: root, stdio: 'inherit' });
  const input = join(dir, 'events.jsonl');
  const bytes = await generate(input, join(dir, 'data.jsonl'), N);
  console.error(`generated ${N} records, ${(bytes / 1e6).toFixed(0)} MB`);
  const loadBefore = load();
  const runs = [
    await run('local', dir, input, { store_type: 'local', path: join(dir, 'out-local') }),
    await run('s3 (s3rver)', dir, input, { store_type: 's3', bucket: 'bench', prefix: 'run', region: s3.region, endpoint: s3.endpoint, path_style: true, access_key_id: s3.accessKeyId, secret_access_key: s3.secretAccessKey }),
    await run('azure (Azurite)', dir, input, { store_type: 'azure', container: 'bench', prefix: 'run', connection_string: az.connectionString }),
  ];
  const summary = { machine: { node: process.version, cpus: (await import('node:os')).cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: load() }, measuredAt: new Date().toISOString(), records: N, inputMb: +(bytes / 1e6).toFixed(0), runs };
  const resDir = join(root, 'bench/results');
  mkdirSync(resDir, { recursive: true });
  writeFileSync(join(resDir, 'destination-stores.json'), JSON.stringify(summary, null, 2) + '\n');
  const md = [`# destination throughput by store (${N.toLocaleString()} records, ${summary.inputMb} MB input, Parquet zstd)`, '',
    '| store | records | s | rec/s | peak RSS MB | states echoed | load avg after |', '|---|---|---|---|---|---|---|',
    ...runs.map((r) => `| ${r.store} | ${r.records} | ${r.seconds} | ${r.recordsPerSecond} | ${r.peakRssMb} | ${r.states} | ${r.loadAverage} |`), '',
    'Same input file for every run; each run is a separate CLI child process (peak RSS from /usr/bin/time -v). s3rver and Azurite are local test servers ' +
    'on 127.0.0.1 (each in its own process, Azurite behind the counting proxy of the test helper), so the numbers compare the client paths, not the clouds. ' +
    `Load average before/after: ${summary.machine.loadAverageBefore} / ${summary.machine.loadAverageAfter} (${summary.machine.cpus} cores).`, ''].join('\n');
  writeFileSync(join(resDir, 'destination-stores.md'), md);
  console.log(md);
} finally {
  await s3.close();
  await az.close();
  await rm(dir, { recursive: true, force: true });
}
