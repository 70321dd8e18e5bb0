// One read of GET /messages serves deliveries, metrics and delivery_contents within a sync: counted on
// the simulator, and checked to emit exactly what separate reads emit (the cache off, messageCacheBytes 0).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Simulator } from '@cio-dw/cio-simulator';
import { runSync, startSim, type Row, type SyncResult } from './helpers/sim-sync.js';

const THREE = ['deliveries', 'metrics', 'delivery_contents'];
const config = { window_days: 7 };

let sim: Simulator;
before(async () => { sim = await startSim(); });
after(async () => { await sim.close(); });

/** The sync's result and how many GET /v1/messages list requests it made (archived_message apart). */
async function counted(o: Parameters<typeof runSync>[1]): Promise<{ result: SyncResult; messages: number; archived: number }> {
  const count = (key: string) => Object.values(sim.stats().byEndpoint[key] ?? {}).reduce((n, v) => n + v, 0);
  const [m0, a0] = [count('GET /v1/messages'), count('GET /v1/messages/:id/archived_message')];
  const result = await runSync(sim, { config, ...o });
  assert.equal(result.error, undefined, String(result.error));
  return { result, messages: count('GET /v1/messages') - m0, archived: count('GET /v1/messages/:id/archived_message') - a0 };
}

const canon = (rows: Row[] | undefined) => (rows ?? []).map((r) => JSON.stringify(r)).sort();

function assertSameOutput(a: SyncResult, b: SyncResult): void {
  for (const s of THREE) {
    assert.deepEqual(canon(a.records.get(s)), canon(b.records.get(s)), `${s} records`);
    assert.deepEqual(a.checkpoints.filter((c) => c.stream === s), b.checkpoints.filter((c) => c.stream === s), `${s} checkpoints`);
  }
}

test('a full sync of deliveries+metrics+delivery_contents makes as many /messages requests as deliveries alone', async () => {
  const alone = await counted({ streams: ['deliveries'] });
  assert.ok(alone.messages >= 15, `several windows are read (${alone.messages})`);
  const shared = await counted({ streams: THREE });
  const separate = await counted({ streams: THREE, deps: { messageCacheBytes: 0 } });
  assert.equal(shared.messages, alone.messages, 'one read of each window serves all three streams');
  assert.equal(separate.messages, 3 * alone.messages, 'without the cache each stream reads /messages itself');
  assert.equal(shared.archived, separate.archived, 'delivery_contents still asks once per delivery');
  assertSameOutput(shared.result, separate.result);
  assert.deepEqual(canon(shared.result.records.get('deliveries')), canon(alone.result.records.get('deliveries')));
});

test('the order of the streams does not matter, nor which of them are selected', async () => {
  const alone = await counted({ streams: ['deliveries'] });
  const reversed = await counted({ streams: [...THREE].reverse() });
  assert.equal(reversed.messages, alone.messages);
  const two = await counted({ streams: ['metrics', 'delivery_contents'] });
  assert.equal(two.messages, alone.messages);
  const separate = await counted({ streams: THREE, deps: { messageCacheBytes: 0 } });
  assertSameOutput(reversed.result, separate.result);
});

test('over the memory bound it falls back to re-reading, with the same output', async () => {
  const alone = await counted({ streams: ['deliveries'] });
  const tight = await counted({ streams: THREE, deps: { messageCacheBytes: 200_000 } });
  const separate = await counted({ streams: THREE, deps: { messageCacheBytes: 0 } });
  assert.ok(tight.messages > alone.messages && tight.messages < separate.messages, `partly cached: ${alone.messages} < ${tight.messages} < ${separate.messages}`);
  assertSameOutput(tight.result, separate.result);
});

test('incremental syncs: the same rows and states as separate reads, and fewer requests', async () => {
  const first = await counted({ streams: THREE });
  sim.control.advanceClock(3 * 86400);
  const shared = await counted({ streams: THREE, state: first.result.state });
  const separate = await counted({ streams: THREE, state: first.result.state, deps: { messageCacheBytes: 0 } });
  assertSameOutput(shared.result, separate.result);
  assert.ok((shared.result.records.get('metrics')?.length ?? 0) > 0, 'new metrics appeared');
  assert.ok(shared.messages < separate.messages, `${shared.messages} < ${separate.messages}`);
  // Resume metrics from a mid-pass checkpoint in a sync that also reads deliveries: same rows as without the cache.
  const mid = separate.result.checkpoints.find((c) => c.stream === 'metrics' && (c.state as { pass?: unknown }).pass !== undefined);
  assert.ok(mid, 'the metrics pass checkpoints mid-way');
  const state = new Map(first.result.state);
  state.set('metrics', mid.state);
  const a = await counted({ streams: THREE, state });
  const b = await counted({ streams: THREE, state, deps: { messageCacheBytes: 0 } });
  assertSameOutput(a.result, b.result);
});

test('people and attributes share one first-sync snapshot of every person, with the same rows and states', async () => {
  const count = () => ['POST /v1/customers', 'POST /v1/customers/attributes']
    .map((k) => Object.values(sim.stats().byEndpoint[k] ?? {}).reduce((n, v) => n + v, 0)).reduce((a, b) => a + b, 0);
  const run = async (streams: string[], snapshotCacheBytes?: number) => {
    const c0 = count();
    const result = await runSync(sim, { streams, ...(snapshotCacheBytes === undefined ? {} : { deps: { snapshotCacheBytes } }) });
    assert.equal(result.error, undefined, String(result.error));
    return { result, people: count() - c0 };
  };
  const alone = await run(['people']);
  assert.ok(alone.people >= 2, `search + attribute requests (${alone.people})`);
  const shared = await run(['people', 'attributes']);
  const reversed = await run(['attributes', 'people']);
  const separate = await run(['people', 'attributes'], 0);
  const tight = await run(['people', 'attributes'], 100);
  assert.equal(tight.people, alone.people, 'over the bound: spilled to a file and replayed, not read again (#12)');
  assert.equal(shared.people, alone.people);
  assert.equal(reversed.people, alone.people);
  assert.equal(separate.people, 2 * alone.people);
  for (const r of [shared, reversed, tight]) {
    for (const s of ['people', 'attributes']) {
      assert.deepEqual(canon(r.result.records.get(s)), canon(separate.result.records.get(s)), `${s} records`);
      assert.deepEqual(r.result.checkpoints.filter((c) => c.stream === s), separate.result.checkpoints.filter((c) => c.stream === s), `${s} checkpoints`);
    }
  }
});
