// `npm run bench -- <name> [args]`: runs one benchmark (or all with no name). Each benchmark writes
// its results to bench/results/<name>.json and .md.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const benches = {
  destination: 'destination-bucket/bench/destination.ts',
  'destination-stores': 'destination-bucket/bench/destination-stores.ts',
  'source-standard': 'source-cio-standard/bench/source-standard.ts',
  collector: 'source-cio-advanced/bench/collector.ts',
};
const [name, ...rest] = process.argv.slice(2);
const names = name ? [name] : Object.keys(benches);
for (const n of names) {
  const file = benches[n];
  if (!file) { console.error(`bench: unknown benchmark "${n}" (have: ${Object.keys(benches).join(', ')})`); process.exit(2); }
  if (!existsSync(file)) { console.error(`bench: ${file} is missing`); process.exit(2); }
  console.error(`bench: running ${n}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, ...rest], { stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
