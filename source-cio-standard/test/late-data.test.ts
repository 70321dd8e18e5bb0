// Late and same-second data (issue #11): nothing that shows up after a sync's bound is lost, and a row
// re-read in the overlap is not emitted twice. An unreadable state is a config_error, not a silent stall.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keys, runSync, startSim, type Row, type SyncResult } from './helpers/sim-sync.js';
import { metricEventId, metricEvents } from '../src/transforms/metric.js';

const HOUR = 3600;
const DAY = 86400;
const SETTLE = 300;

/** Each key of `stream` across the syncs, with how often it was emitted. */
function tally(stream: string, syncs: SyncResult[]): Map<string, number> {
  const n = new Map<string, number>();
  for (const s of syncs) for (const k of keys(stream, s.records.get(stream))) n.set(k, (n.get(k) ?? 0) + 1);
  return n;
}
function assertOnce(stream: string, syncs: SyncResult[], expected: string[]): void {
  const got = tally(stream, syncs);
  const twice = [...got].filter(([, c]) => c > 1).map(([k]) => k);
  assert.deepEqual(twice, [], `${stream}: emitted more than once`);
  const missing = expected.filter((k) => !got.has(k));
  assert.deepEqual(missing, [], `${stream}: never emitted`);
  assert.equal(got.size, new Set(expected).size, `${stream}: only the expected rows`);
}

test('deliveries created in the second a sync ended on, and shown by the API after it, are emitted once (defect 1)', async () => {
  const sim = await startSim();
  try {
    const streams = ['deliveries', 'delivery_contents'];
    sim.control.advanceClock(HOUR);
    // Emitted by sync 1, and inside the overlap sync 2 re-reads.
    sim.control.addDeliveries({ count: 2, created: sim.control.now() - 900 });
    const s1 = await runSync(sim, { streams });
    assert.equal(s1.error, undefined);
    const t1 = sim.control.now();
    // Customer.io shows a delivery a little after its `created` second: these belong to the second of
    // sync 1's "now" but were not visible while it ran.
    const same = sim.control.addDeliveries({ count: 5, created: t1 });
    sim.control.advanceClock(90);
    const more = sim.control.addDeliveries({ count: 3 });
    sim.control.advanceClock(HOUR);
    const s2 = await runSync(sim, { streams, state: s1.state });
    assert.equal(s2.error, undefined);
    sim.control.advanceClock(HOUR);
    const s3 = await runSync(sim, { streams, state: s2.state });
    const bound = sim.control.now() - SETTLE;
    const all = sim.truth.messages({ to: bound });
    for (const d of [...same, ...more]) assert.ok(all.some((m) => m['id'] === d.id));
    assertOnce('deliveries', [s1, s2, s3], all.map((m) => String(m['id'])));
    assertOnce('delivery_contents', [s1, s2, s3], all.filter((m) => !m['forgotten']).map((m) => String(m['id'])));
    assert.ok(s2.logs.some((l) => /re-read in the overlap were already emitted/.test(l.message)), 'the overlap re-read was deduplicated');
  } finally { await sim.close(); }
});

test('a metric that shows up after its own time crossed a bound is emitted once (defect 2)', async () => {
  const sim = await startSim();
  try {
    const streams = ['metrics'];
    const s1 = await runSync(sim, { streams });
    assert.equal(s1.error, undefined);
    const u1 = sim.control.now();
    // Deliveries 1–5 days old without a click: they get clicks stamped before sync 1's bound, reported late.
    const old = sim.truth.messages({ from: u1 - 5 * DAY, to: u1 - DAY })
      .filter((m) => !('clicked' in (sim.truth.metricSchedule(String(m['id'])) ?? {})) && !('converted' in (sim.truth.metricSchedule(String(m['id'])) ?? {})));
    assert.ok(old.length >= 2);
    sim.control.advanceClock(600);
    sim.control.addMetric(String(old[0]!['id']), 'clicked', u1 - 120);
    sim.control.addMetric(String(old[1]!['id']), 'clicked', u1 - 2 * HOUR);
    sim.control.advanceClock(600);
    sim.control.addMetric(String(old[0]!['id']), 'converted', u1 - 60);
    sim.control.advanceClock(HOUR);
    const s2 = await runSync(sim, { streams, state: s1.state });
    assert.equal(s2.error, undefined);
    const got = keys('metrics', s2.records.get('metrics'));
    for (const [m, metric] of [[old[0]!, 'clicked'], [old[1]!, 'clicked'], [old[0]!, 'converted']] as const) {
      assert.ok(got.includes(metricEventId(String(m['id']), metric)), `late ${metric} of ${String(m['id'])} emitted`);
    }
    sim.control.advanceClock(2 * HOUR);
    const s3 = await runSync(sim, { streams, state: s2.state });
    const bound = sim.control.now() - SETTLE;
    const start = sim.control.now() - 100 * DAY - 4 * HOUR;
    // The events of the warehouse metrics file: human_/prefetch_ keys fold into their metric (#12).
    const expected = sim.truth.messages({ from: start }).flatMap((m) => metricEvents(m['metrics'] as Record<string, number>)
      .filter((e) => e.ts <= bound).map((e) => metricEventId(String(m['id']), e.idKey)));
    assertOnce('metrics', [s1, s2, s3], expected);
  } finally { await sim.close(); }
});

test('a stream state the stream cannot read fails the stream with config_error (defect 6)', async () => {
  const sim = await startSim();
  try {
    const cases: [string, unknown][] = [
      ['deliveries', { created_at: '2026-10-01T00:00:00Z' }],
      ['delivery_contents', { created_at_s: '1793491200' }],
      ['metrics', { metric_at: 1793491200 }],
      ['deliveries', { created_at_s: 1793491200, emitted: { not: 'a list' } }],
    ];
    for (const [stream, state] of cases) {
      const s = await runSync(sim, { streams: [stream], state: new Map([[stream, state]]) });
      assert.notEqual(s.error, undefined, `${stream} ${JSON.stringify(state)} fails`);
      const errors = s.emitter.messages.flatMap((m) => (m.type === 'TRACE' && m.trace.type === 'ERROR' && m.trace.error ? [m.trace.error] : []));
      assert.equal(errors.length, 1);
      const err = errors[0]!;
      assert.equal(err.failure_type, 'config_error');
      assert.match(err.message, new RegExp(`^${stream}: .*(saved state|memory).*[Rr]eset this stream's state`));
      assert.deepEqual(s.records.get(stream), [], 'no records');
      assert.equal(s.checkpoints.length, 0, 'the unreadable state is not echoed');
    }
  } finally { await sim.close(); }
});

export type { Row };

test('a campaign changed again in the second of the saved cursor, after the sync read it, is emitted by the next sync; unchanged ones are not', async () => {
  const sim = await startSim();
  try {
    const streams = ['campaigns'];
    const [c1, c2] = sim.truth.campaigns();
    sim.control.advanceClock(HOUR);
    sim.control.editCampaign(c1!.id, { name: 'first edit' });
    const s1 = await runSync(sim, { streams });
    assert.equal(s1.error, undefined);
    assert.equal((s1.state.get('campaigns') as { updated_s: number }).updated_s, sim.control.now(), 'the cursor is this second');
    // The same second, after sync 1 read the list: c1 again and c2.
    sim.control.editCampaign(c1!.id, { name: 'second edit' });
    sim.control.editCampaign(c2!.id, { name: 'other edit' });
    const s2 = await runSync(sim, { streams, state: s1.state });
    assert.equal(s2.error, undefined);
    assert.deepEqual((s2.records.get('campaigns') ?? []).map((r) => r['name']).sort(), ['other edit', 'second edit']);
    const s3 = await runSync(sim, { streams, state: s2.state });
    assert.deepEqual(s3.records.get('campaigns') ?? [], [], 'nothing new: nothing emitted');
  } finally { await sim.close(); }
});
