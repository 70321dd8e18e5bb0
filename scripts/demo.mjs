// Launcher for `npm run demo` (the npm script builds first): runs scripts/demo.ts through tsx.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const demo = fileURLToPath(new URL('./demo.ts', import.meta.url));
const r = spawnSync(process.execPath, ['--import', 'tsx', demo, ...process.argv.slice(2)], {
  stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' },
});
process.exit(r.status ?? 1);
