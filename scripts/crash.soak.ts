// Crash soak (`npm run soak -- scripts/crash.soak.ts`): 10 kill -9s at random moments of syncs, spread
// over the runner, the source and the destination (seeded: CRASH_SEED, default 17), with the workspace
// changing between syncs; then a rerun to completion, both loaders (DuckDB, PostgreSQL), and every
// table must equal the simulator's ground truth exactly: 0 missing, 0 duplicates, newest versions.
// Figures go to bench/results/crash-soak.json and .md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './demo/paths.js';
import { startTestPostgres } from './postgres-test-server.js';
import { loadAndCheck, type LoaderResult } from './crash/load-and-check.js';
import { exact } from './crash/truth-check.js';
import { connectorOf, kill9, removeWorld, startSync, startWorld, syncToCompletion, type Target } from './crash/world.js';

const KILLS = 10;
const seed = Number(process.env.CRASH_SEED ?? 17);

/** mulberry32: a small seeded PRNG, so a failing run can be repeated. */
function prng(s: number): () => number {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Kill { round: number; target: Target; killed: string; afterMs: number; runnerExit: number; reported: boolean; lockReleased: boolean; exitAfterKillMs: number }

test(`crash soak: ${KILLS} random kills across runner, source and destination, then exactly the ground truth in DuckDB and PostgreSQL`, { timeout: 3_600_000 }, async () => {
  const started = Date.now();
  const load = [loadavg()[0]!];
  const random = prng(seed);
  const pgStarting = startTestPostgres();
  const w = await startWorld(await mkdtemp(join(tmpdir(), 'crash-soak-')), { seed, people: 120, deliveries: 2500, requestsPerSecond: 5 });
  const kills: Kill[] = [];
  let rounds = 0;
  let completedUnkilled = 0;
  try {
    const targets: Target[] = ['runner', 'source', 'destination'];
    while (kills.length < KILLS) {
      if (++rounds > KILLS * 4) throw new Error(`only ${kills.length} kills landed in ${rounds - 1} syncs`);
      if (rounds > 1) await w.change(Math.floor(random() * 200), Math.floor(random() * 100));
      const target = targets[Math.floor(random() * 3)]!;
      const delay = Math.floor(random() * 6000);
      const s = startSync(w);
      let exited = false;
      void s.exit.then(() => { exited = true; });
      // the moment is random within the data phase: once both connectors run (discovery done), + 0–6 s
      while (!exited && !((await connectorOf(s, 'source')) && (await connectorOf(s, 'destination')))) await new Promise((r) => setTimeout(r, 25));
      const t0 = Date.now();
      const ended = exited || await Promise.race([s.exit.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), delay))]);
      if (ended) { completedUnkilled++; continue; }
      const other: Target = target === 'source' ? 'destination' : 'source';
      const withChildren = random() < 0.5;
      const killed = await kill9(s, target, { withChildren }) ?? (target === 'runner' ? undefined : await kill9(s, other)) ?? await kill9(s, 'runner', { withChildren });
      if (!killed) { completedUnkilled++; await s.exit; continue; }
      const killedAt = Date.now();
      const deadline = new Promise<'wedged'>((r) => setTimeout(() => r('wedged'), 300_000).unref());
      const code = await Promise.race([s.exit, deadline]);
      assert.notEqual(code, 'wedged', `the runner did not end within 5 min after the ${killed} was killed: ${s.stderr()}`);
      const byRunner = killed.startsWith('runner');
      kills.push({ round: rounds, target: killed.split(' ')[0] as Target, killed, afterMs: killedAt - t0, runnerExit: code as number,
        reported: byRunner || /sync 1 FAILED/.test(s.stderr()), lockReleased: byRunner || !existsSync(`${w.statePath}.lock`), exitAfterKillMs: Date.now() - killedAt });
      load.push(loadavg()[0]!);
    }
    w.freeze();
    const attempts = await syncToCompletion(w);
    const results = await loadAndCheck(w, await pgStarting, 'crash_soak');
    load.push(loadavg()[0]!);
    await report(kills, rounds, completedUnkilled, attempts, results, (Date.now() - started) / 1000, load);
    for (const k of kills.filter((x) => x.target !== 'runner')) {
      assert.equal(k.runnerExit, 1, `round ${k.round}: the runner exits 1 after its ${k.target} was killed`);
      assert.ok(k.reported && k.lockReleased, `round ${k.round}: "sync FAILED" printed and the lock released`);
    }
    for (const r of results) assert.ok(exact(r.checks), `${r.loader}: ${JSON.stringify(r.checks)}`);
  } finally {
    await pgStarting.then((p) => p.stop(), () => {}).catch(() => {});
    await removeWorld(w);
  }
});

async function report(kills: Kill[], rounds: number, unkilled: number, attempts: number, results: LoaderResult[], seconds: number, load: number[]): Promise<void> {
  const dir = join(REPO, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const json = { benchmark: 'crash-soak', date: new Date().toISOString(), node: process.version, cpus: cpus().length, seed, kills, syncs_started: rounds,
    syncs_that_ended_before_their_kill: unkilled, reruns_to_complete: attempts, wall_s: Number(seconds.toFixed(1)),
    load_average_1m: { min: Math.min(...load), max: Math.max(...load) }, loaders: results };
  await writeFile(join(dir, 'crash-soak.json'), JSON.stringify(json, null, 2) + '\n');
  const by = (t: Target) => kills.filter((k) => k.target === t).length;
  const lines = [
    '# Crash soak', '',
    `${json.date}, Node ${process.version}, ${cpus().length} CPUs, seed ${seed}, load average (1 min) ${json.load_average_1m.min.toFixed(1)}–${json.load_average_1m.max.toFixed(1)}; wall ${json.wall_s} s.`,
    `Simulated workspace (120 people, 2500 deliveries, 5 requests/s) changing between syncs; the real cio-sync CLI; kill -9 at a random moment of a sync's data phase (0–6 s after both connectors started).`, '',
    `Kills: ${kills.length} (runner ${by('runner')}, source ${by('source')}, destination ${by('destination')}) in ${rounds} syncs (${unkilled} ended before their kill); a rerun completed in ${attempts} attempt(s).`, '',
    '| round | killed | ms after the connectors started | runner exit | "FAILED" + lock released | runner ended ms after the kill |', '|---|---|---|---|---|---|',
    ...kills.map((k) => `| ${k.round} | ${k.killed.replace(/ \d+/, '')} | ${k.afterMs} | ${k.runnerExit} | ${k.target === 'runner' ? 'n/a (killed)' : k.reported && k.lockReleased ? 'yes' : 'NO'} | ${k.exitAfterKillMs} |`), '',
    '| loader | table | expected | rows | missing | extra | duplicates | stale versions | bucket rows read (all tables) | removed by dedup |', '|---|---|---|---|---|---|---|---|---|---|',
    ...results.flatMap((r) => r.checks.map((c) => `| ${r.loader} | ${c.table} | ${c.expected} | ${c.rows} | ${c.missing} | ${c.extra} | ${c.duplicates} | ${c.stale} | ${r.rowsRead} | ${r.duplicatesRemoved[c.table] ?? 0} |`)), '',
    'Target: every table equals the ground truth exactly (0 missing, 0 duplicates) with both loaders; no sync wedges.', '',
  ];
  await writeFile(join(dir, 'crash-soak.md'), lines.join('\n'));
}
