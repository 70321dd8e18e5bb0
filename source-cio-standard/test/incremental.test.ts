// Incremental behaviour on the simulator's clock: only changes are emitted, each once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetchTransport } from '@cio-dw/common';
import { ALL_STREAMS, keys, letSettle, runSync, startSim, type Row } from './helpers/sim-sync.js';
import { metricEventId } from '../src/transforms/metric.js';

const HOUR = 3600;
const DAY = 86400;

test('people/attributes: a no-op identify yields no row; one change yields exactly one of each; a delete yields deleted=true', async () => {
  const sim = await startSim();
  try {
    const streams = ['people', 'attributes'];
    const s1 = await runSync(sim, { streams });
    assert.equal(s1.error, undefined);
    const person = sim.truth.people()[5]!;

    sim.control.advanceClock(HOUR);
    assert.deepEqual(sim.control.updatePerson(person.cio_id, { plan: person.attributes['plan']!, city: person.attributes['city']! }), []);
    const s2 = await runSync(sim, { streams, state: s1.state });
    assert.deepEqual(s2.records.get('people'), []);
    assert.deepEqual(s2.records.get('attributes'), []);

    sim.control.advanceClock(HOUR);
    assert.equal(sim.control.setAttribute(person.cio_id, 'plan', 'platinum'), true);
    const changedAt = new Date(sim.control.now() * 1000).toISOString();
    letSettle(sim);
    const s3 = await runSync(sim, { streams, state: s2.state });
    assert.deepEqual(s3.records.get('attributes'), [{ workspace_id: sim.workspaceId, internal_customer_id: person.cio_id, attribute_name: 'plan', attribute_value: 'platinum', timestamp: changedAt }]);
    const people = s3.records.get('people')!;
    assert.equal(people.length, 1);
    assert.equal(people[0]!['internal_customer_id'], person.cio_id);
    assert.equal(people[0]!['updated_at'], changedAt);
    assert.equal(people[0]!['deleted'], false);

    const s4 = await runSync(sim, { streams, state: s3.state });
    assert.deepEqual(s4.records.get('people'), [], 'the change is not emitted twice');
    assert.deepEqual(s4.records.get('attributes'), []);

    sim.control.advanceClock(HOUR);
    const victim = sim.truth.people()[9]!;
    sim.control.deletePerson(victim.cio_id);
    const created = sim.control.addPerson({ attributes: { plan: 'free' } });
    letSettle(sim);
    const s5 = await runSync(sim, { streams, state: s4.state });
    const rows = s5.records.get('people')!;
    assert.deepEqual(rows.map((r) => [r['internal_customer_id'], r['deleted']]).sort(), [[created.cio_id, false], [victim.cio_id, true]].sort());
    assert.deepEqual(s5.records.get('attributes')!.map((r) => [r['internal_customer_id'], r['attribute_name']]).sort(),
      Object.keys(created.attributes).map((k) => [created.cio_id, k]).sort(), 'a new person\'s attributes; a delete has none');
  } finally { await sim.close(); }
});

/** human_/prefetch_ keys: the simulator puts them at their metric's second, so they are flags, not rows. */
const FLAG_KEY = /^(human|prefetch)_/;

test('metrics: late metrics and newly visible metrics appear once; deliveries are never repeated', async () => {
  const sim = await startSim();
  try {
    const streams = ['deliveries', 'metrics'];
    const config = { lookback_days: 14, window_days: 5 };
    const seen = new Map<string, number>();
    const count = (stream: string, rows: Row[] | undefined) => { for (const k of keys(stream, rows)) seen.set(`${stream}:${k}`, (seen.get(`${stream}:${k}`) ?? 0) + 1); };
    const s1 = await runSync(sim, { streams, config });
    count('deliveries', s1.records.get('deliveries')); count('metrics', s1.records.get('metrics'));
    const t0 = sim.control.now();

    // a delivery from 2 days ago gets a late "converted"; new deliveries arrive; time passes
    const old = sim.truth.messages({ from: t0 - 3 * DAY, to: t0 - 2 * DAY })[0]!;
    sim.control.advanceClock(HOUR);
    sim.control.addMetric(String(old['id']), 'converted');
    const added = sim.control.addDeliveries({ count: 4 });
    sim.control.advanceClock(HOUR);
    const t1 = sim.control.now();
    const s2 = await runSync(sim, { streams, config, state: s1.state });
    assert.equal(s2.error, undefined);
    assert.deepEqual(keys('deliveries', s2.records.get('deliveries')), added.map((d) => d.id).sort(), 'only the new deliveries');
    // expected metrics: every metric of every delivery with time in (t0, t1]
    const expected: string[] = [];
    for (const m of sim.truth.messages({ from: t1 - 14 * DAY })) {
      for (const [metric, ts] of Object.entries(m['metrics'] as Record<string, number>)) if (ts > t0 && ts <= t1 && !FLAG_KEY.test(metric)) expected.push(metricEventId(String(m['id']), metric));
    }
    assert.ok(expected.includes(metricEventId(String(old['id']), 'converted')));
    assert.deepEqual(keys('metrics', s2.records.get('metrics')), expected.sort());
    count('deliveries', s2.records.get('deliveries')); count('metrics', s2.records.get('metrics'));

    sim.control.advanceClock(2 * DAY);
    const s3 = await runSync(sim, { streams, config, state: s2.state });
    assert.deepEqual(s3.records.get('deliveries'), []);
    assert.ok(s3.records.get('metrics')!.length > 0, 'metrics scheduled later became visible');
    count('deliveries', s3.records.get('deliveries')); count('metrics', s3.records.get('metrics'));
    const s4 = await runSync(sim, { streams, config, state: s3.state });
    assert.deepEqual(s4.records.get('metrics'), []);

    const twice = [...seen].filter(([, n]) => n > 1);
    assert.deepEqual(twice, [], 'nothing emitted twice across syncs');
    // and nothing missing: every visible metric of the read range was emitted once
    const all = sim.truth.messages({ from: sim.control.now() - 100 * DAY - 2 * DAY - 2 * HOUR });
    const visible = all.flatMap((m) => Object.keys(m['metrics'] as object).filter((k) => !FLAG_KEY.test(k)).map((k) => `metrics:${metricEventId(String(m['id']), k)}`));
    for (const k of visible) if (!seen.has(k)) assert.fail(`missing ${k}`);
  } finally { await sim.close(); }
});

test('catalog: an edited campaign appears once; unchanged lists emit nothing', async () => {
  const sim = await startSim();
  try {
    const streams = ALL_STREAMS.filter((s) => !['deliveries', 'metrics', 'delivery_contents', 'people', 'attributes'].includes(s));
    const s1 = await runSync(sim, { streams });
    sim.control.advanceClock(HOUR);
    const id = sim.truth.campaigns()[1]!.id;
    sim.control.editCampaign(id, { name: 'Renamed' });
    const s2 = await runSync(sim, { streams, state: s1.state });
    assert.deepEqual(s2.records.get('campaigns')!.map((c) => [c['id'], c['name']]), [[id, 'Renamed']]);
    for (const s of streams.filter((x) => x !== 'campaigns')) assert.deepEqual(s2.records.get(s), [], `${s} emitted nothing`);
    const s3 = await runSync(sim, { streams, state: s2.state });
    for (const s of streams) assert.deepEqual(s3.records.get(s), [], `${s} emitted nothing the third time`);
  } finally { await sim.close(); }
});

test('campaign_actions: a campaign deleted mid-sync (404) is logged and skipped', async () => {
  const sim = await startSim();
  try {
    const victim = sim.truth.campaigns()[0]!;
    const inner = fetchTransport();
    let deleted = false;
    const transport = { request: async (req: Parameters<typeof inner.request>[0]) => {
      if (!deleted && req.url.includes(`/campaigns/${victim.id}/actions`)) { deleted = true; sim.control.deleteCampaign(victim.id); }
      return inner.request(req);
    } };
    const s = await runSync(sim, { streams: ['campaign_actions'], deps: { transport } });
    assert.equal(s.error, undefined);
    assert.ok(deleted);
    const got = s.records.get('campaign_actions')!;
    assert.equal(got.filter((a) => a['campaign_id'] === victim.id).length, 0);
    const others = sim.truth.campaigns().reduce((n, c) => n + c.actions.length, 0);
    assert.equal(got.length, others);
    assert.ok(s.logs.some((l) => l.message.includes(`campaign ${victim.id} was deleted during the sync`)), JSON.stringify(s.logs));
  } finally { await sim.close(); }
});
