// Pure parts of the late-data handling: the bounded memory of emitted keys and the compressed id sets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '@cio-dw/common';
import { EmittedKeys, keyHash } from '../src/cursors/emitted-keys.js';
import { difference, IdCollector, idsOf, mergeSorted, runOf, updateKnown } from '../src/streams/known-ids.js';

test('emitted keys: remembered per second, pruned behind the overlap, round-trip through state', () => {
  const m = new EmittedKeys();
  m.add('d1', 100); m.add('d2', 100); m.add('d3', 160); m.add('d1', 100);
  assert.equal(m.size, 3);
  assert.ok(m.has('d1', 100) && !m.has('d1', 101), 'a key counts only in its own second');
  const json = m.toJson(99);
  assert.deepEqual(json.map(([t, h]) => [t, h.length]), [[100, 16], [160, 8]]);
  const back = EmittedKeys.fromJson(json, 'deliveries');
  assert.ok(back.has('d2', 100) && back.has('d3', 160) && !back.has('d4', 160));
  assert.deepEqual(back.toJson(100), [[160, keyHash('d3')]], 'seconds ≤ the floor are forgotten');
});

test('emitted keys: over the cap the oldest seconds are forgotten and counted', () => {
  const m = new EmittedKeys(3);
  for (const [k, t] of [['a', 1], ['b', 2], ['c', 2], ['d', 3], ['e', 4]] as const) m.add(k, t);
  const json = m.toJson(0);
  assert.deepEqual(json.map(([t]) => t), [3, 4]);
  assert.equal(m.forgotten, 3);
});

test('emitted keys: a malformed memory is a config error', () => {
  for (const bad of [{}, [[1]], [['1', 'abcdefgh']], [[1, 'abc']], 'x']) {
    assert.throws(() => EmittedKeys.fromJson(bad, 'metrics'), (e: unknown) => e instanceof ConfigError && /^metrics: .*reset this stream's state/.test(e.message));
  }
});

test('known ids: sorted runs in blocks, merged, diffed and updated', () => {
  const run = runOf(['a1', 'a2', 'a2', 'b7']);
  assert.equal(run.count, 3);
  assert.deepEqual([...idsOf(run)], ['a1', 'a2', 'b7']);
  assert.throws(() => runOf(['b', 'a']), /out of order/);
  assert.deepEqual([...mergeSorted([['a', 'c'], ['b', 'c', 'd'], []])], ['a', 'b', 'c', 'c', 'd']);
  assert.deepEqual([...difference(['a', 'b', 'c', 'e'], ['b', 'd', 'e'])], ['a', 'c']);
  assert.deepEqual([...idsOf(updateKnown(run, ['c1', 'a0'], ['a2', 'zz']))], ['a0', 'a1', 'b7', 'c1']);
});

test('known ids: collecting 20 000 ids page by page in any order gives one sorted run of 4096-id blocks', () => {
  const c = new IdCollector();
  const ids = Array.from({ length: 20_000 }, (_, i) => `a3${((i * 7919) % 20_000).toString(16).padStart(6, '0')}`);
  for (let i = 0; i < ids.length; i += 1000) c.add(ids.slice(i, i + 1000));
  c.add(['a3000001']); // a repeat
  const run = c.finish();
  assert.equal(run.count, 20_000);
  assert.equal(run.blocks.length, 5);
  const back = [...idsOf(run)];
  assert.deepEqual(back, [...ids].sort());
  const bytes = JSON.stringify(run).length;
  assert.ok(bytes < 20_000 * 6, `compact: ${bytes} bytes of state for 20 000 ids`);
});
