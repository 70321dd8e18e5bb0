// Makes sure Debian's Chromium is installed for the browser tests (the team's choice: Debian's
// `chromium` package is the maintained system build with its libraries as package dependencies,
// and the machines reach Debian's archive; an npm-shipped Chromium such as @sparticuz/chromium is a
// compressed Lambda build). Installs it with apt-get when /usr/bin/chromium is missing (root needed);
// if that fails, exits 1 with the reason (the tests that need it fail, never skip).
// Usage: node scripts/ensure-chromium.mjs   (prints the executable path on stdout)
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.error) return `${cmd}: ${r.error.message}`;
  return r.status === 0 ? undefined : `${cmd} ${args.join(' ')} exited with ${r.status}`;
}

export function ensureChromium() {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.getuid && process.getuid() !== 0) {
    throw new Error(`ensure-chromium: ${CHROMIUM} is missing and this is not root; install it: apt-get install chromium`);
  }
  console.error(`ensure-chromium: ${CHROMIUM} is missing; installing Debian's chromium package with apt-get`);
  const problem = run('apt-get', ['update', '-qq']) ?? run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium']);
  if (problem || !existsSync(CHROMIUM)) throw new Error(`ensure-chromium: could not install chromium (${problem ?? `${CHROMIUM} still missing`})`);
  return CHROMIUM;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try { console.log(ensureChromium()); } catch (e) { console.error(e.message); process.exit(1); }
}
