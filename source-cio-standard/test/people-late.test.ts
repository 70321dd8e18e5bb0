// People and attributes across late, out-of-order and long-gap activity (issue #11): new people get
// their attributes, people deleted during a gap longer than /activities keeps are marked deleted, and
// the activity scan does not stop at the first older activity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createResponse, fetchTransport, type HttpRequest } from '@cio-dw/common';
import { letSettle, runSync, startSim, type Row } from './helpers/sim-sync.js';

const DAY = 86400;
const streams = ['people', 'attributes'];

test('a person created after the first sync gets its attributes rows (defect 3)', async () => {
  const sim = await startSim();
  try {
    const s1 = await runSync(sim, { streams });
    assert.equal(s1.error, undefined);
    sim.control.advanceClock(3600);
    const p = sim.control.addPerson({ attributes: { plan: 'pro', city: 'Lagos', score: '7', team: 'blue', lang: 'fr', tier: 'gold' } });
    letSettle(sim);
    sim.control.setAttribute(p.cio_id, 'plan', 'team'); // a change after creation: one row, not two
    const changedAt = new Date(sim.control.now() * 1000).toISOString();
    letSettle(sim);
    const s2 = await runSync(sim, { streams, state: s1.state });
    assert.equal(s2.error, undefined);
    const people = s2.records.get('people')!.filter((r) => r['internal_customer_id'] === p.cio_id);
    assert.equal(people.length, 1);
    const rows = s2.records.get('attributes')!.filter((r) => r['internal_customer_id'] === p.cio_id);
    const truth = sim.truth.customer(p.cio_id) as { attributes: Record<string, string>; timestamps: Record<string, number> };
    assert.ok(Object.keys(truth.attributes).length >= 10);
    const want = Object.keys(truth.attributes).sort().map((k) => [k, truth.attributes[k], new Date(truth.timestamps[k]! * 1000).toISOString()]);
    assert.deepEqual(rows.map((r) => [r['attribute_name'], r['attribute_value'], r['timestamp']]).sort(), want);
    assert.ok(rows.some((r) => r['attribute_name'] === 'plan' && r['attribute_value'] === 'team' && r['timestamp'] === changedAt));
    const s3 = await runSync(sim, { streams, state: s2.state });
    assert.deepEqual(s3.records.get('attributes'), [], 'not emitted again');
    assert.deepEqual(s3.records.get('people'), []);
  } finally { await sim.close(); }
});

test('people deleted during a gap longer than the activity retention are marked deleted (defect 4)', async () => {
  const sim = await startSim();
  try {
    const s1 = await runSync(sim, { streams: ['people'] });
    assert.equal(s1.error, undefined);
    sim.control.advanceClock(3600);
    const newcomer = sim.control.addPerson({ attributes: { plan: 'free' } });
    letSettle(sim);
    const s2 = await runSync(sim, { streams: ['people'], state: s1.state });
    assert.deepEqual(s2.records.get('people')!.map((r) => r['internal_customer_id']), [newcomer.cio_id]);
    // Deleted during a 40-day gap: their profile_delete activities are gone by the next sync.
    const victims = [sim.truth.people()[3]!.cio_id, sim.truth.people()[17]!.cio_id, newcomer.cio_id];
    sim.control.advanceClock(2 * DAY);
    for (const v of victims) sim.control.deletePerson(v);
    sim.control.advanceClock(38 * DAY);
    assert.equal(sim.truth.activities({ includeDeleted: true, type: 'profile_delete' }).length, 0, 'the deletes left no activity the API still lists');
    const s3 = await runSync(sim, { streams: ['people'], state: s2.state });
    assert.equal(s3.error, undefined);
    const rows = s3.records.get('people')!;
    const deleted = rows.filter((r) => r['deleted'] === true).map((r) => r['internal_customer_id']).sort();
    assert.deepEqual(deleted, [...victims].sort());
    const alive = rows.filter((r) => r['deleted'] === false).map((r) => String(r['internal_customer_id'])).sort();
    assert.deepEqual(alive, sim.truth.people().map((p) => p.cio_id).sort(), 'everyone else read again, alive');
    assert.ok(s3.logs.some((l) => /3 of the \d+ people known before the gap are gone/.test(l.message)), JSON.stringify(s3.logs));
  } finally { await sim.close(); }
});

test('the activity scan does not stop at the first page holding an older activity (defect 5)', async () => {
  const sim = await startSim({ realism: false }); // the order below is set literally
  try {
    const s1 = await runSync(sim, { streams });
    const t0 = sim.control.now();
    sim.control.advanceClock(1000);
    const [p1, p2] = [sim.truth.people()[4]!.cio_id, sim.truth.people()[8]!.cio_id];
    sim.control.setAttribute(p2, 'plan', 'second-page');
    sim.control.advanceClock(1000);
    sim.control.setAttribute(p1, 'plan', 'first-page');
    sim.control.advanceClock(1000);
    const changes = sim.truth.activities({ includeDeleted: true, type: 'attribute_change' });
    const [newest, second] = [changes[0]!, changes[1]!];
    const older = changes.find((a) => Number(a['timestamp']) < t0)!;
    assert.ok(Number(second['timestamp']) > t0 && older);
    // Listed roughly newest first: page 1 holds the newest change and an activity older than the
    // cursor; the other new change comes on page 2.
    const pages: Record<string, unknown>[] = [{ activities: [newest, older], next: '2' }, { activities: [second], next: '' }];
    const inner = fetchTransport();
    let served = 0;
    const transport = { request: async (req: HttpRequest) => {
      const u = new URL(req.url);
      if (u.pathname.endsWith('/activities') && u.searchParams.get('type') === 'attribute_change') {
        served++;
        const page = pages[u.searchParams.get('start') === '2' ? 1 : 0];
        return createResponse({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(page) });
      }
      return inner.request(req);
    } };
    const s2 = await runSync(sim, { streams, state: s1.state, deps: { transport } });
    assert.equal(s2.error, undefined, String(s2.error));
    assert.ok(served >= 3, `both pages read by both streams (${served})`);
    assert.deepEqual(s2.records.get('people')!.map((r) => r['internal_customer_id']).sort(), [p1, p2].sort());
    assert.deepEqual(s2.records.get('attributes')!.map((r: Row) => [r['internal_customer_id'], r['attribute_value']]).sort(), [[p1, 'first-page'], [p2, 'second-page']].sort());
  } finally { await sim.close(); }
});
