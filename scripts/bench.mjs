// `npm run bench -- <name> [args]`: runs one benchmark (or all with no name). Each benchmark writes
// its results to bench/results/<name>.json and .md.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const benches = {
  // `destination` runs the single-stream run and the many-streams run (also alone as destination-streams).
  destination: ['destination-bucket/bench/destination.ts', 'destination-bucket/bench/streams.ts'],
  'destination-streams': 'destination-bucket/bench/streams.ts',
  'destination-stores': 'destination-bucket/bench/destination-stores.ts',
  'source-standard': 'source-cio-standard/bench/source-standard.ts',
  collector: 'source-cio-advanced/bench/collector.ts',
};
const [name, ...rest] = process.argv.slice(2);
const names = name ? [name] : Object.keys(benches).filter((n) => n !== 'destination-streams');
for (const n of names) {
  const files = benches[n];
  if (!files) { console.error(`bench: unknown benchmark "${n}" (have: ${Object.keys(benches).join(', ')})`); process.exit(2); }
  for (const file of [files].flat()) {
    if (!existsSync(file)) { console.error(`bench: ${file} is missing`); process.exit(2); }
    console.error(`bench: running ${n} (${file})`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', file, ...rest], { stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}
