// Crash and rerun, end to end, with kills at fixed moments (`npm run soak -- scripts/crash-fixed.soak.ts`:
// about 3.5 min on the loaded 2-core machine, too long for `npm test`; the random 10-kill version is
// scripts/crash.soak.ts): the destination killed -9 once the source has read deliveries, the source
// once it has read campaigns, the runner once the source has read metrics; each failed sync is reported and
// releases its lock; a rerun completes; both loaders (DuckDB, PostgreSQL) then hold exactly the
// simulator's ground truth: nothing missing, nothing twice, the newest campaign names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestPostgres } from './postgres-test-server.js';
import { loadAndCheck } from './crash/load-and-check.js';
import { kill9, removeWorld, startSync, startWorld, syncToCompletion, type Target, type World } from './crash/world.js';

/** Starts a sync and kills the target -9 as soon as the runner's report matches `moment`. */
async function killWhen(w: World, target: Target, moment: RegExp): Promise<{ code: number; stderr: string }> {
  const s = startSync(w);
  let exited = false;
  void s.exit.then(() => { exited = true; });
  await new Promise<void>((resolve) => {
    const check = () => { if (exited || moment.test(s.stderr())) { s.proc.stderr!.off('data', check); resolve(); } };
    s.proc.stderr!.on('data', check);
    void s.exit.then(check);
  });
  assert.ok(!exited, `the sync ended before the moment to kill the ${target}: ${s.stderr()}`);
  assert.ok(await kill9(s, target), `the ${target} was running`);
  return { code: await s.exit, stderr: s.stderr() };
}

test('kills of the destination, the source and the runner, then a rerun: both loaders hold exactly the ground truth', { timeout: 420_000 }, async () => {
  const pgStarting = startTestPostgres();
  const w = await startWorld(await mkdtemp(join(tmpdir(), 'crash-test-')), { seed: 17, people: 40, deliveries: 400, requestsPerSecond: 3 });
  try {
    const lock = `${w.statePath}.lock`;
    const d = await killWhen(w, 'destination', /deliveries: done/);
    assert.equal(d.code, 1, d.stderr);
    assert.match(d.stderr, /sync 1 FAILED/);
    assert.equal(existsSync(lock), false, 'the runner released its lock');

    await w.change(30, 0);
    const s = await killWhen(w, 'source', /campaigns: done/);
    assert.equal(s.code, 1, s.stderr);
    assert.match(s.stderr, /sync 1 FAILED/);

    await w.change(30, 1);
    const r = await killWhen(w, 'runner', /metrics: done/);
    assert.equal(r.code, 137);
    assert.ok(existsSync(lock), 'a runner killed with -9 leaves its lock');

    await w.change(30, 0);
    w.freeze();
    await syncToCompletion(w);
    const results = await loadAndCheck(w, await pgStarting, 'crash_test');
    for (const r of results) {
      for (const c of r.checks) {
        assert.deepEqual(c, { table: c.table, expected: c.expected, rows: c.expected, missing: 0, extra: 0, duplicates: 0, stale: 0 }, `${r.loader}: ${c.table}`);
      }
    }
  } finally {
    await pgStarting.then((p) => p.stop(), () => {}).catch(() => {});
    await removeWorld(w);
  }
});
