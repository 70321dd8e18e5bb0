// Resuming from every checkpoint a sync emitted loses nothing and repeats nothing: the records emitted
// before the checkpoint plus those of a sync started from it equal the records of the uninterrupted sync.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Simulator } from '@cio-dw/cio-simulator';
import { ALL_STREAMS, keyOf, runSync, startSim, type SyncResult } from './helpers/sim-sync.js';

let sim: Simulator;
before(async () => { sim = await startSim({ people: 2300 }); });
after(async () => { await sim.close(); });

async function checkEveryCheckpoint(full: SyncResult, streams: string[], initial: Map<string, unknown>, config: Record<string, number>): Promise<number> {
  let resumed = 0;
  for (const stream of streams) {
    const rows = full.records.get(stream)!;
    const want = rows.map((r) => keyOf(stream, r)).sort();
    const cps = full.checkpoints.filter((c) => c.stream === stream);
    for (const cp of cps.slice(0, -1)) {
      const again = await runSync(sim, { streams: [stream], state: new Map([...initial, [stream, cp.state]]), config });
      assert.equal(again.error, undefined);
      const got = [...rows.slice(0, cp.recordsBefore), ...again.records.get(stream)!].map((r) => keyOf(stream, r)).sort();
      assert.deepEqual(got, want, `${stream}: resuming from ${JSON.stringify(cp.state).slice(0, 120)}`);
      resumed++;
    }
  }
  return resumed;
}

test('first sync: resuming from every checkpoint of every stream loses and repeats nothing', async () => {
  const config = { window_days: 10 };
  const full = await runSync(sim, { config });
  assert.equal(full.error, undefined);
  const n = await checkEveryCheckpoint(full, ALL_STREAMS, new Map(), config);
  for (const s of ['deliveries', 'metrics', 'delivery_contents', 'people', 'attributes', 'campaign_actions']) {
    assert.ok(full.checkpoints.filter((c) => c.stream === s).length >= 3, `${s} checkpoints more than once`);
  }
  assert.ok(n >= 40, `resumed ${n} times`);
});

test('incremental metrics pass: resuming mid-pass loses and repeats nothing', async () => {
  const config = { window_days: 3, lookback_days: 14 };
  const s1 = await runSync(sim, { streams: ['metrics', 'deliveries'], config });
  sim.control.advanceClock(2 * 86400);
  sim.control.addDeliveries({ count: 3 });
  const s2 = await runSync(sim, { streams: ['metrics', 'deliveries'], state: s1.state, config });
  assert.ok(s2.records.get('metrics')!.length > 0);
  assert.ok(s2.checkpoints.filter((c) => c.stream === 'metrics').length >= 4);
  await checkEveryCheckpoint(s2, ['metrics', 'deliveries'], s1.state, config);
});
