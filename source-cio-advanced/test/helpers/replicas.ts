// Two collector replicas writing one spool under load, read while they write: the check shared by the
// S3 and Azure spool tests.
import assert from 'node:assert/strict';
import type { AdvancedConfig, SpoolState } from '../../src/streams/config.js';
import { aheadClock, readAll, type ChildCollector } from './harness.js';
import type { LoadResult } from './load.js';

/**
 * Reads three times while both replicas keep writing (each read ends, and takes only settled objects),
 * stops the load and the replicas (SIGTERM: both exit 0), reads what remains, and asserts that every
 * acknowledged call was emitted exactly once. Returns the emitted ids.
 */
export async function assertReplicasEmitEachCallOnce(cfg: AdvancedConfig, a: ChildCollector, b: ChildCollector, load: { stop(): Promise<LoadResult> }): Promise<string[]> {
  const emitted: string[] = [];
  let state: Record<string, SpoolState | undefined> = {};
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 400));
    const r = await readAll(cfg, { state, clock: { now: () => Date.now(), sleep: async () => {} } });
    for (const rows of Object.values(r.rows)) emitted.push(...rows.map((x) => String(x.id)));
    state = r.states;
  }
  const { acked } = await load.stop();
  a.child.kill('SIGTERM'); b.child.kill('SIGTERM');
  assert.deepEqual([await a.exited, await b.exited], [0, 0], 'graceful shutdown exits 0');
  const last = await readAll(cfg, { state, clock: aheadClock() });
  for (const rows of Object.values(last.rows)) emitted.push(...rows.map((x) => String(x.id)));
  assert.ok(acked.size >= 200, `only ${acked.size} acknowledged`);
  assert.equal(new Set(emitted).size, emitted.length, 'no call emitted twice');
  const got = new Set(emitted);
  assert.deepEqual([...acked].filter((id) => !got.has(id)), []);
  return emitted;
}
