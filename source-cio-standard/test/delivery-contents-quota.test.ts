// delivery_contents under Customer.io's documented quota of archived_message (100 requests a day, a 429
// without Retry-After past it): the stream spends its daily budget, checkpoints where it stopped, warns,
// and carries on the next day; a quota 429 stops it at once without backing off; other streams of the
// same sync are not held up. Day after day, every retained delivery's content is emitted exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keys, runSync, startSim, type Row } from './helpers/sim-sync.js';

const DOC_QUOTA = 100;

test('a budget below the quota: 90 a day, a WARN, no 429, and the next days go on where it stopped', async () => {
  const sim = await startSim({ archivedMessagesPerDay: DOC_QUOTA });
  try {
    const want = sim.truth.messages({ from: sim.control.now() - 100 * 86400, to: sim.control.now() }).filter((m) => m['forgotten'] !== true).map((m) => String(m['id'])).sort();
    assert.ok(want.length > 3 * 90, 'more content than three days of budget');
    const got: Row[] = [];
    let state = new Map<string, unknown>();
    for (let day = 0; day < 6 && got.length < want.length; day++) {
      sim.resetStats();
      const r = await runSync(sim, { streams: ['deliveries', 'delivery_contents'], state, config: { archived_messages_per_day: 90 } });
      assert.equal(r.error, undefined, String(r.error));
      const rows = r.records.get('delivery_contents')!;
      got.push(...rows);
      if (got.length < want.length) {
        assert.equal(rows.length, 90, `day ${day}: the whole budget`);
        assert.ok(r.logs.some((l) => l.level === 'WARN' && /budget of 90 archived-message requests/.test(l.message)), 'a WARN says why it stopped');
      }
      assert.equal(sim.stats().byStatus['429'], undefined, 'the budget keeps it under the quota');
      assert.equal(r.records.get('deliveries')!.length > 0, day === 0, 'deliveries ran in the same sync');
      const again = await runSync(sim, { streams: ['delivery_contents'], state: r.state, config: { archived_messages_per_day: 90 } });
      if (got.length < want.length) assert.deepEqual(again.records.get('delivery_contents'), [], 'nothing more the same day');
      state = again.state;
      sim.control.advanceClock(86400);
    }
    assert.deepEqual(keys('delivery_contents', got), want, 'every retained delivery once, over the days');
  } finally { await sim.close(); }
});

test('the quota runs out early (other clients used it): stops at the 429 at once, no back-off, resumes the next day', async () => {
  const sim = await startSim({ archivedMessagesPerDay: DOC_QUOTA });
  try {
    const all = sim.truth.messages({ from: sim.control.now() - 100 * 86400, to: sim.control.now() }).filter((m) => m['forgotten'] !== true);
    for (let i = 0; i < 40; i++) { // another tool spends 40 of today's 100
      const r = await fetch(`${sim.baseUrl}/messages/${encodeURIComponent(String(all[i]!['id']))}/archived_message`, { headers: { authorization: `Bearer ${sim.apiKey}` } });
      assert.equal(r.status, 200);
    }
    sim.resetStats();
    const t0 = Date.now();
    const first = await runSync(sim, { streams: ['delivery_contents', 'deliveries'], config: { archived_messages_per_day: DOC_QUOTA }, deps: { backoff: { baseMs: 2000, capMs: 60_000 } } });
    assert.equal(first.error, undefined, String(first.error));
    assert.equal(first.records.get('delivery_contents')!.length, 60);
    const limited = sim.stats().byEndpoint['GET /v1/messages/:id/archived_message']?.['429'] ?? 0;
    assert.ok(limited >= 1 && limited <= 10, `${limited} quota 429s: one per request in flight, never retried`);
    assert.ok(Date.now() - t0 < 30_000, 'no back-off on the quota (a 2 s base back-off would show)');
    assert.ok(first.records.get('deliveries')!.length > 0, 'deliveries, read after it in the same sync, completed');
    assert.ok(first.logs.some((l) => l.level === 'WARN' && /daily quota/.test(l.message)));
    sim.control.advanceClock(86400);
    const second = await runSync(sim, { streams: ['delivery_contents'], state: first.state, config: { archived_messages_per_day: DOC_QUOTA } });
    assert.equal(second.error, undefined);
    const both = [...first.records.get('delivery_contents')!, ...second.records.get('delivery_contents')!];
    assert.equal(new Set(keys('delivery_contents', both)).size, both.length, 'no delivery twice');
    assert.equal(second.records.get('delivery_contents')!.length, 100, `a fresh day: the whole quota ${JSON.stringify(second.logs)} ${JSON.stringify(first.state.get('delivery_contents'))}`);
    const ordered = both.map((r) => `${String(r['created_at'])}|${String(r['delivery_id'])}`);
    assert.deepEqual(ordered, [...ordered].sort(), 'oldest first across both days, no gap');
  } finally { await sim.close(); }
});
