// The busy-workspace soak (issue #11 acceptance): five seeds, each a full sync and three incremental
// syncs against the busy simulator (deliveries every second, late metrics, people churn), then a last
// sync after everything settled. Zero rows may be missing on any stream; duplicates are counted.
// Writes bench/results/busy-workspace-soak.{json,md}. Run with `npm run soak`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { runBusySoak, SOAK_STREAMS, type SoakFigures } from './helpers/busy-soak.js';

test('busy workspace soak: 5 seeds, no row lost on any stream', async () => {
  const runs: (SoakFigures & { seconds: number })[] = [];
  const load = loadavg()[0]!;
  for (const seed of [1, 2, 3, 4, 5]) {
    const t0 = performance.now();
    const f = await runBusySoak({ seed, incrementals: 3, gapSeconds: 600, people: 500 });
    runs.push({ ...f, seconds: Math.round((performance.now() - t0) / 100) / 10 });
  }
  const dir = new URL('../../bench/results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const result = { soak: 'busy-workspace', date: new Date().toISOString(), node: process.version, load_average_1m_at_start: Math.round(load * 10) / 10, runs };
  writeFileSync(new URL('busy-workspace-soak.json', dir), JSON.stringify(result, null, 2) + '\n');
  const line = (f: SoakFigures & { seconds: number }) => `| ${f.seed} | ${f.seconds} s | ${f.simulated_seconds} | ${f.busy['deliveries']} / ${f.busy['lateMetrics']} / ${f.busy['people']} / ${f.busy['deletes']} / ${f.busy['changes']} | `
    + SOAK_STREAMS.map((s) => `${f.rows[s]} / ${f.expected[s]} / **${f.missing[s]}** / ${f.duplicates[s]}`).join(' | ') + ` | ${f.requests} |`;
  const md = `# Busy-workspace soak (source-cio-standard)\n\nEach run: full sync, 3 incremental syncs with 600 simulated busy seconds before each (and real-time busy seconds during each), then a catch-up sync after everything settled. Default settle/overlap. Load average at start: ${result.load_average_1m_at_start}.\n\n`
    + `Stream cells: rows emitted / expected / **missing** / duplicates (same primary key).\n\n| seed | wall | busy s | deliveries / late metrics / people / deletes / changes added | ${SOAK_STREAMS.join(' | ')} | requests |\n|${'---|'.repeat(6 + SOAK_STREAMS.length - 1)}\n`
    + runs.map(line).join('\n') + `\n\n${result.date}, Node ${process.version}\n`;
  writeFileSync(new URL('busy-workspace-soak.md', dir), md);
  process.stdout.write(md);
  for (const f of runs) assert.deepEqual(f.missing, Object.fromEntries(SOAK_STREAMS.map((s) => [s, 0])), `seed ${f.seed}: ${JSON.stringify(f.missing)}`);
});
