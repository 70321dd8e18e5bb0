// Realism (default on) and busy mode: rows show up after their own time, activities are listed in the
// order they were recorded, and a busy workspace keeps adding data as real time passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, start, walk, type Body } from './helpers.js';
import { maxVisibilityDelay, REALISM } from '../src/realism.js';

const items = (pages: Body[], key: string): Body[] => pages.flatMap((p) => (p[key] ?? []) as Body[]);

test('realism: deliveries are listed a little after created, some metrics and activities hours late; ground truth catches up', async () => {
  const sim = await start();
  try {
    assert.deepEqual(sim.truth.realism, REALISM);
    sim.control.advanceClock(600);
    const added = sim.control.addDeliveries({ count: 40, created: sim.control.now() });
    const listed = () => new Set(sim.truth.messages({ from: added[0]!.created }).map((m) => m['id']));
    const api = async () => new Set(items(await walk(sim, `/messages?limit=1000&start_ts=${added[0]!.created}`), 'messages').map((m) => m['id']));
    const early = await api();
    assert.ok(early.size < added.length, `not all ${added.length} listed at once (${early.size})`);
    assert.deepEqual(early, listed(), 'truth.messages shows what the API lists');
    sim.control.advanceClock(REALISM.deliveryDelayMaxS);
    assert.equal((await api()).size, added.length, 'all listed once the delivery delay passed');

    // Activities: 200 events now; some are listed only later, after activities recorded later.
    const people = sim.truth.people().slice(0, 20);
    for (let k = 0; k < 200; k++) sim.control.trackEvent(people[k % 20]!.cio_id, 'realism_probe', { k });
    const probes = async () => items(await walk(sim, '/activities?limit=100&name=realism_probe'), 'activities');
    const first = await probes();
    assert.ok(first.length < 200 && first.length > 100, `most, not all, listed at once (${first.length})`);
    assert.equal(first.length + sim.truth.pendingActivities(), 200);
    sim.control.advanceClock(REALISM.quickMaxS + 1);
    sim.control.trackEvent(people[0]!.cio_id, 'realism_probe', { k: 'later' });
    sim.control.advanceClock(maxVisibilityDelay(REALISM) + 1);
    const all = await probes();
    assert.equal(all.length, 201, 'every activity listed once its delay passed');
    assert.equal(sim.truth.pendingActivities(), 0);
    const ts = all.map((a) => Number(a['timestamp']));
    assert.ok(ts.some((t, i) => i > 0 && t > ts[i - 1]!), 'a late activity is listed after a newer one (not strictly newest first)');

    // Metrics: 100 deliveries sent and delivered now; some of those metrics are listed only later.
    const t = sim.control.now();
    const withMetrics = sim.control.addDeliveries({ count: 100, created: t, metrics: { sent: t, delivered: t } });
    sim.control.advanceClock(REALISM.deliveryDelayMaxS);
    const visible = () => withMetrics.reduce((n, d) => n + Object.keys(sim.truth.message(d.id)!['metrics'] as object).length, 0);
    const soon = visible();
    assert.ok(soon < 200 && soon > 100, `most metrics visible at once, some later (${soon} of 200)`);
    sim.control.advanceClock(maxVisibilityDelay(REALISM));
    assert.equal(visible(), 200);
  } finally { await sim.close(); }
});

test('realism: false lists everything at its own time', async () => {
  const sim = await start({ realism: false });
  try {
    const added = sim.control.addDeliveries({ count: 20, created: sim.control.now() });
    const got = items(await walk(sim, `/messages?limit=1000&start_ts=${added[0]!.created}`), 'messages');
    assert.equal(got.length, 20);
    sim.control.trackEvent(sim.truth.people()[0]!.cio_id, 'x');
    assert.equal(((await call(sim, '/activities?limit=1')).body['activities'] as Body[])[0]!['name'], 'x');
  } finally { await sim.close(); }
});

test('busy mode: seconds that pass in real time are played out on each request, with deliveries, people and late metrics', async () => {
  let ms = 1_000_000;
  const sim = await start({ busy: { speed: 1, peoplePerMinute: 60, deletesPerMinute: 30, lateMetricsPerMinute: 60 } });
  try {
    // Drive busy mode with an injected millisecond clock so the test does not depend on timing.
    const busy = sim.busy!;
    (busy as unknown as { clockMs: () => number }).clockMs = () => ms;
    busy.resume();
    const t0 = sim.control.now();
    const deliveries0 = sim.truth.deliveryCount();
    const people0 = sim.truth.people({ includeDeleted: true }).length;
    ms += 120_000;
    await call(sim, '/campaigns'); // a request plays the two minutes out
    assert.equal(sim.truth.now(), t0 + 120);
    const st = busy.stats;
    assert.equal(st.seconds, 120);
    assert.ok(st.deliveries >= 120 * 4, `several deliveries a second (${st.deliveries})`);
    assert.equal(sim.truth.deliveryCount() - deliveries0, st.deliveries);
    assert.equal(sim.truth.people({ includeDeleted: true }).length - people0, st.people);
    assert.ok(st.people > 0 && st.deletes > 0 && st.lateMetrics > 0 && st.events > 0, JSON.stringify(st));
    busy.pause();
    ms += 60_000;
    assert.equal(sim.control.now(), t0 + 120, 'paused: the clock stays');
  } finally { await sim.close(); }
});
