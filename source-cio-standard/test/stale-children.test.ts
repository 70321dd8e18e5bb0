// Children whose edits the parent does not show: newsletter contents have no created/updated (only
// deduplicate_id = "id:timestamp"), and nothing promises that an edit moves the parent's `updated`.
// The fan-out streams take the change time from deduplicate_id and re-read every parent's children
// every children_refresh_hours, so an edit is emitted once, within that bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { updatedOf } from '../src/transforms/catalog.js';
import { runSync, startSim } from './helpers/sim-sync.js';

test('updatedOf reads the deduplicate_id timestamp when there is no updated (literal input)', () => {
  assert.equal(updatedOf({ id: 7, deduplicate_id: '7:1700000123' }, 'updated'), 1700000123);
  assert.equal(updatedOf({ id: 7, updated: 5, deduplicate_id: '7:1700000123' }, 'updated'), 5);
  assert.equal(updatedOf({ id: 'x', deduplicate_id: 'ag1q6QWq6QUBAAF4_CGoeVX7mFkDbRFu7ek=:1619137768' }, 'updated'), 1619137768);
  assert.equal(updatedOf({ id: 7 }, 'updated'), 0);
});

test('an edited newsletter variant is emitted again within children_refresh_hours, once, with its new time', async () => {
  const sim = await startSim();
  try {
    const first = await runSync(sim, { streams: ['newsletter_contents'] });
    assert.equal(first.error, undefined);
    const rows = first.records.get('newsletter_contents')!;
    assert.ok(rows.length > 0 && rows.every((r) => typeof r['updated'] === 'number' && r['updated'] > 0), 'updated comes from deduplicate_id');
    const n = sim.truth.newsletters()[2]!;
    const contentId = n.content_ids[0]!;
    sim.control.advanceClock(3600);
    sim.control.editNewsletterContent(n.id, contentId, { subject: 'Edited subject' });
    const editedAt = sim.control.now();
    sim.control.advanceClock(3600);
    const soon = await runSync(sim, { streams: ['newsletter_contents'], state: first.state });
    assert.deepEqual(soon.records.get('newsletter_contents'), [], 'before the refresh period only changed parents are visited');
    sim.control.advanceClock(24 * 3600);
    sim.resetStats();
    const later = await runSync(sim, { streams: ['newsletter_contents'], state: soon.state });
    assert.equal(later.error, undefined);
    const again = later.records.get('newsletter_contents')!;
    assert.deepEqual(again.map((r) => [r['newsletter_id'], r['id'], r['subject'], r['updated']]), [[n.id, contentId, 'Edited subject', editedAt]]);
    assert.equal(sim.stats().byEndpoint['GET /v1/newsletters/:id/contents']?.['200'], sim.truth.newsletters().length, 'one request per newsletter per refresh');
    const next = await runSync(sim, { streams: ['newsletter_contents'], state: later.state });
    assert.deepEqual(next.records.get('newsletter_contents'), [], 'emitted once');
  } finally { await sim.close(); }
});

test('a newsletter variant changed again in the second of the saved cursor, after the sync read it, is emitted by the next visit; unchanged ones are not', async () => {
  const sim = await startSim();
  try {
    const streams = ['newsletter_contents'];
    const config = { children_refresh_hours: 0 }; // every sync visits every newsletter
    const first = await runSync(sim, { streams, config });
    assert.equal(first.error, undefined);
    const n = sim.truth.newsletters()[1]!;
    const contentId = n.content_ids[0]!;
    sim.control.advanceClock(3600);
    sim.control.editNewsletterContent(n.id, contentId, { subject: 'A' });
    const second = await runSync(sim, { streams, config, state: first.state });
    assert.deepEqual(second.records.get('newsletter_contents')!.map((r) => r['subject']), ['A']);
    assert.equal((second.state.get('newsletter_contents') as { updated_s: number }).updated_s, sim.control.now(), 'the cursor is this second');
    sim.control.editNewsletterContent(n.id, contentId, { subject: 'B' }); // the same second, after the read
    const third = await runSync(sim, { streams, config, state: second.state });
    assert.equal(third.error, undefined);
    assert.deepEqual(third.records.get('newsletter_contents')!.map((r) => [r['id'], r['subject']]), [[contentId, 'B']]);
    const fourth = await runSync(sim, { streams, config, state: third.state });
    assert.deepEqual(fourth.records.get('newsletter_contents'), [], 'unchanged: not emitted again');
  } finally { await sim.close(); }
});
