// `npm run soak [-- <folder-or-file> ...]`: runs the long soak tests (`*.soak.ts`) that are too slow for
// `npm test`, with Node's test runner through tsx, one file at a time. Each soak writes its figures to
// bench/results/<name>.json and .md.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const roots = process.argv.slice(2);
const folders = roots.length ? roots : ['common', 'testkit', 'cio-simulator', 'destination-bucket', 'source-cio-standard', 'source-cio-advanced', 'runner', 'scripts'];

function walk(path, out) {
  const st = statSync(path);
  if (st.isFile()) { if (path.endsWith('.soak.ts')) out.push(path); return; }
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name === 'dist') continue;
    walk(join(path, name), out);
  }
}
const files = [];
for (const f of folders) walk(join(root, f), files);
files.sort();
if (files.length === 0) { console.error('soak: no *.soak.ts files found'); process.exit(1); }
console.error(`soak: ${files.length} soak files`);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files.map((f) => relative(root, f))], {
  cwd: root, stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' },
});
process.exit(r.status ?? 1);
