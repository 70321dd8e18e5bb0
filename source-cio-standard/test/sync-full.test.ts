// A first (full) sync of every stream against the simulator: what it emits matches the workspace.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
import type { Simulator } from '@cio-dw/cio-simulator';
import { schemaOf } from '../src/streams/stream-kit.js';
import { ALL_STREAMS, keys, runSync, startSim, type SyncResult } from './helpers/sim-sync.js';

let sim: Simulator;
let first: SyncResult;
before(async () => { sim = await startSim(); first = await runSync(sim); });
after(async () => { await sim.close(); });

test('a first sync completes and emits every stream', () => {
  assert.equal(first.error, undefined, String(first.error));
  for (const s of ALL_STREAMS) assert.ok((first.records.get(s)?.length ?? 0) > 0, `${s} emitted rows`);
});

test('every record validates against its stream schema', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const s of ALL_STREAMS) {
    const validate = ajv.compile(schemaOf(s));
    for (const r of first.records.get(s)!) assert.ok(validate(r), `${s}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(r).slice(0, 200)}`);
  }
});

test('deliveries and metrics match the simulator truth', () => {
  const cfgStart = sim.control.now() - 100 * 86400;
  const truth = sim.truth.messages({ from: cfgStart, to: sim.control.now() });
  assert.deepEqual(keys('deliveries', first.records.get('deliveries')), truth.map((m) => String(m['id'])).sort());
  // human_/prefetch_ keys (the simulator puts them at their metric's second) are flags, not rows.
  const metricCount = truth.reduce((n, m) => n + Object.keys(m['metrics'] as object).filter((k) => !/^(human|prefetch)_/.test(k)).length, 0);
  assert.equal(first.records.get('metrics')!.length, metricCount);
  assert.equal(new Set(keys('metrics', first.records.get('metrics'))).size, metricCount, 'event ids are unique');
  const contents = truth.filter((m) => m['forgotten'] !== true).length;
  assert.equal(first.records.get('delivery_contents')!.length, contents);
  for (const r of first.records.get('deliveries')!) assert.equal(r['workspace_id'], sim.workspaceId);
});

test('people, attributes and catalog lists match the truth', () => {
  const people = sim.truth.people();
  assert.deepEqual(keys('people', first.records.get('people')).map((k) => k.split('|')[0]), people.map((p) => p.cio_id).sort());
  const attrCount = people.reduce((n, p) => n + Object.keys(p.attributes).length, 0);
  assert.equal(first.records.get('attributes')!.length, attrCount);
  assert.equal(first.records.get('campaigns')!.length, sim.truth.campaigns().length);
  const actions = sim.truth.campaigns().reduce((n, c) => n + c.actions.length, 0);
  assert.equal(first.records.get('campaign_actions')!.length, actions);
  for (const a of first.records.get('campaign_actions')!) assert.equal(typeof a['id'], 'number');
  assert.equal(first.records.get('segments')!.length, sim.truth.segments().length);
  assert.equal(first.records.get('newsletters')!.length, sim.truth.newsletters().length);
  assert.equal(first.records.get('newsletter_contents')!.length, sim.truth.newsletters().reduce((n, x) => n + x.contents.length, 0));
  assert.equal(first.records.get('broadcast_actions')!.length, sim.truth.broadcasts().reduce((n, x) => n + x.actions.length, 0));
});

test('a second sync with nothing new emits nothing and costs a handful of requests', async () => {
  const quiet = ALL_STREAMS;
  const second = await runSync(sim, { state: first.state, streams: quiet });
  assert.equal(second.error, undefined);
  for (const s of quiet) assert.deepEqual(second.records.get(s), [], `${s} emitted nothing`);
  // campaigns, broadcasts, newsletters x2 (lists + contents parents), segments, campaigns+broadcasts again for
  // the fan-outs, one /messages per stream reading deliveries, 3+1 activity types.
  assert.ok(second.requests <= 17, `requests: ${second.requests}`);
});
