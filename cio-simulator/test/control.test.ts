import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, items, start, walk, type Body } from './helpers.js';

const attrsOf = async (sim: Awaited<ReturnType<typeof start>>, cio: string): Promise<Body> => {
  const r = await call(sim, '/customers/attributes?id_type=cio_id', { body: { ids: [cio] } });
  return (r.body['customers'] as Body[])[0]!;
};

test('attribute change: new value and timestamp, attribute_change activity; a no-op update yields nothing', async () => {
  const sim = await start();
  try {
    const p = sim.truth.people()[3]!;
    sim.control.advanceClock(3600);
    const now = sim.truth.now();
    assert.equal(sim.control.setAttribute(p.cio_id, 'plan', 'gold'), true);
    const c = await attrsOf(sim, p.cio_id);
    assert.equal((c['attributes'] as Body)['plan'], 'gold');
    assert.equal((c['timestamps'] as Body)['plan'], now);
    const acts = items(await walk(sim, '/activities?limit=100&type=attribute_change'), 'activities');
    const mine = acts.filter((a) => (a['customer_identifiers'] as Body)['cio_id'] === p.cio_id && a['timestamp'] === now);
    assert.equal(mine.length, 1);
    assert.deepEqual(mine[0]!['data'], { plan: { from: p.attributes['plan'], to: 'gold' } });
    assert.equal(acts[0]!['id'], mine[0]!['id'], 'newest first');

    const before = sim.truth.activities({ includeDeleted: true }).length;
    sim.control.advanceClock(60);
    assert.deepEqual(sim.control.updatePerson({ cio_id: p.cio_id }, { plan: 'gold', city: p.attributes['city']! }), []);
    assert.equal(sim.truth.activities({ includeDeleted: true }).length, before, 'no activity for a no-op');
    assert.equal(((await attrsOf(sim, p.cio_id))['timestamps'] as Body)['plan'], now, 'timestamp unchanged');
  } finally { await sim.close(); }
});

test('deleting a person: profile_delete (deleted=true), gone from search and attributes', async () => {
  const sim = await start();
  try {
    const p = sim.truth.people()[0]!;
    sim.control.advanceClock(10);
    sim.control.deletePerson(p.cio_id);
    assert.equal((await call(sim, '/customers/attributes?id_type=cio_id', { body: { ids: [p.cio_id] } })).body['customers'] instanceof Array, true);
    assert.deepEqual((await call(sim, '/customers/attributes?id_type=cio_id', { body: { ids: [p.cio_id] } })).body['customers'], []);
    const top = ((await call(sim, '/activities?deleted=true&limit=1')).body['activities'] as Body[])[0]!;
    assert.equal(top['type'], 'profile_delete');
    assert.equal((top['customer_identifiers'] as Body)['cio_id'], p.cio_id);
    const hidden = items(await walk(sim, '/activities?limit=100&type=profile_delete'), 'activities');
    assert.equal(hidden.length, 0, 'deleted people are hidden unless deleted=true');
    const search = await walk(sim, '/customers?limit=1000', { method: 'POST', body: { filter: { attribute: { field: 'cio_id', operator: 'exists' } } } });
    assert.ok(!search.flatMap((x) => (x['identifiers'] ?? []) as Body[]).some((i) => i['cio_id'] === p.cio_id));
  } finally { await sim.close(); }
});

test('new deliveries and late metrics show up; the clock reveals scheduled metrics', async () => {
  const sim = await start({ realism: false }); // exact timing (realism.test.ts covers the delays)
  try {
    sim.control.advanceClock(120);
    const [d] = sim.control.addDeliveries({ campaignId: 2, metrics: { sent: sim.truth.now() } });
    const top = ((await call(sim, '/messages?limit=1')).body['messages'] as Body[])[0]!;
    assert.equal(top['id'], d!.id);
    assert.equal(top['campaign_id'], 2);
    assert.deepEqual(top['metrics'], { sent: sim.truth.now() });
    sim.control.advanceClock(30);
    sim.control.addMetric(d!.id, 'opened');
    const again = (await call(sim, `/messages/${encodeURIComponent(d!.id)}`)).body['message'] as Body;
    assert.deepEqual(again['metrics'], { sent: sim.truth.now() - 30, opened: sim.truth.now() });
    const act = ((await call(sim, '/activities?limit=1')).body['activities'] as Body[])[0]!;
    assert.equal(act['type'], 'opened_email');
    assert.equal(act['delivery_id'], d!.id);

    const pending = sim.truth.messages().find((m) => {
      const s = sim.truth.metricSchedule(m['id'] as string)!;
      return Object.values(s).some((t) => t > sim.truth.now());
    })!;
    const sched = sim.truth.metricSchedule(pending['id'] as string)!;
    const latest = Math.max(...Object.values(sched));
    assert.notDeepEqual(pending['metrics'], sched);
    sim.control.advanceClock(latest - sim.truth.now());
    const now = (await call(sim, `/messages/${encodeURIComponent(pending['id'] as string)}`)).body['message'] as Body;
    assert.deepEqual(now['metrics'], sched);
    assert.throws(() => sim.control.addDeliveries({ created: 0 }));
  } finally { await sim.close(); }
});

test('editing and deleting a campaign; the activity window moves with the clock', async () => {
  const sim = await start();
  try {
    sim.control.advanceClock(500);
    sim.control.editCampaign(1, { name: 'Renamed' });
    const c = (await call(sim, '/campaigns/1')).body['campaign'] as Body;
    assert.equal(c['name'], 'Renamed');
    assert.equal(c['updated'], sim.truth.now());
    assert.equal(c['deduplicate_id'], `1:${sim.truth.now()}`);
    sim.control.deleteCampaign(2);
    assert.equal((await call(sim, '/campaigns/2/actions')).status, 404);
    assert.ok(!((await call(sim, '/campaigns')).body['campaigns'] as Body[]).some((x) => x['id'] === 2));

    const count = items(await walk(sim, '/activities?limit=100&deleted=true'), 'activities').length;
    sim.control.advanceClock(4 * 86400);
    const later = items(await walk(sim, '/activities?limit=100&deleted=true'), 'activities');
    assert.ok(later.length < count, 'old activities fall out of the 30-day window');
    assert.deepEqual(later.map((a) => a['id']), sim.truth.activities({ includeDeleted: true }).map((a) => a['id']));
  } finally { await sim.close(); }
});

test('new people and events appear; segment membership can be changed', async () => {
  const sim = await start();
  try {
    const p = sim.control.addPerson({ id: 'new-1', email: 'new1@example.org' });
    sim.control.trackEvent({ id: 'new-1' }, 'purchase', { price: 5 });
    const acts = (await call(sim, '/activities?limit=2')).body['activities'] as Body[];
    assert.deepEqual(acts.map((a) => a['type']), ['event', 'profile_create']);
    const seg = sim.truth.segments()[0]!;
    sim.control.setSegmentMember(seg.id, { email: 'new1@example.org' }, true);
    const members = items(await walk(sim, `/segments/${seg.id}/membership?limit=1000`), 'identifiers').map((x) => x['cio_id']);
    assert.equal(members.at(-1), p.cio_id);
  } finally { await sim.close(); }
});
