// Runs every `*.test.ts` under the workspaces with Node's built-in test runner (through tsx).
// Node 20's `--test` neither expands globs nor finds .ts files itself, so the list is explicit.
// Usage: node scripts/run-tests.mjs [folder-or-file ...]
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const roots = process.argv.slice(2);
const folders = roots.length ? roots : ['common', 'testkit', 'cio-simulator', 'destination-bucket', 'source-cio-standard', 'source-cio-advanced', 'runner', 'scripts'];

function walk(path, out) {
  const st = statSync(path);
  if (st.isFile()) { if (path.endsWith('.test.ts')) out.push(path); return; }
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name === 'dist') continue;
    walk(join(path, name), out);
  }
}
const files = [];
for (const f of folders) {
  const p = join(root, f);
  try { walk(p, files); } catch { /* folder without tests yet */ }
}
files.sort();
if (files.length === 0) { console.error('run-tests: no test files found'); process.exit(1); }
console.error(`run-tests: ${files.length} test files`);
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files.map((f) => relative(root, f))], {
  cwd: root, stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' },
});
process.exit(r.status ?? 1);
