import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, items, start, walk, type Body } from './helpers.js';

test('quirks on: string action ids, null instead of [], extra fields', async () => {
  const sim = await start({ quirks: true });
  try {
    const actions = items(await walk(sim, '/campaigns/1/actions'), 'actions');
    assert.ok(actions.some((a) => typeof a['id'] === 'string'), 'some ids are strings');
    assert.ok(actions.some((a) => typeof a['id'] === 'number'), 'some ids are numbers');
    const campaigns = (await call(sim, '/campaigns')).body['campaigns'] as Body[];
    const listKeys = ['tags', 'trigger_segment_ids', 'filter_segment_ids'];
    assert.ok(campaigns.some((c) => listKeys.some((k) => c[k] === null)), 'null lists');
    assert.ok(campaigns.every((c) => listKeys.every((k) => c[k] === null || (Array.isArray(c[k]) && (c[k] as unknown[]).length > 0))));
    const empty = sim.truth.segments().find((s) => sim.truth.segmentMembers(s.id).length === 0)!;
    const m = await call(sim, `/segments/${empty.id}/membership`);
    assert.equal(m.body['identifiers'], null);
    assert.equal(m.body['ids'], null);
    assert.equal(m.body['next'], '');
    const msg = ((await call(sim, '/messages?limit=1')).body['messages'] as Body[])[0]!;
    assert.equal(msg['sim_new_field'], 'message-v2');
    assert.ok('sim_envelope_field' in (await call(sim, '/segments')).body);
  } finally { await sim.close(); }
});

test('quirks off: numeric ids, [] lists, no extra fields, no empty pages', async () => {
  const sim = await start({ quirks: false });
  try {
    const actions = items(await walk(sim, '/campaigns/1/actions'), 'actions');
    assert.ok(actions.every((a) => typeof a['id'] === 'number'));
    const campaigns = (await call(sim, '/campaigns')).body['campaigns'] as Body[];
    assert.ok(campaigns.every((c) => Array.isArray(c['tags']) && Array.isArray(c['trigger_segment_ids'])));
    assert.ok(campaigns.every((c) => !('sim_new_field' in c)));
    const pages = await walk(sim, '/messages?limit=50');
    assert.ok(pages.slice(0, -1).every((p) => (p['messages'] as unknown[]).length === 50));
    const empty = sim.truth.segments().find((s) => sim.truth.segmentMembers(s.id).length === 0)!;
    assert.deepEqual((await call(sim, `/segments/${empty.id}/membership`)).body['identifiers'], []);
  } finally { await sim.close(); }
});

test('individual quirks can be picked', async () => {
  const sim = await start({ quirks: { actionIdAsString: false } });
  try {
    assert.equal(sim.quirks.actionIdAsString, false);
    assert.equal(sim.quirks.nullForEmptyLists, true);
    const actions = items(await walk(sim, '/campaigns/1/actions'), 'actions');
    assert.ok(actions.every((a) => typeof a['id'] === 'number'));
  } finally { await sim.close(); }
});
