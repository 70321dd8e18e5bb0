import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Simulator } from '../src/simulator.js';
import { call, items, start, walk, type Body } from './helpers.js';

let sim: Simulator;
before(async () => { sim = await start(); });
after(async () => { await sim.close(); });

const ids = (xs: Body[], k = 'id'): unknown[] => xs.map((x) => x[k]);
function assertUnique(xs: unknown[]): void { assert.equal(new Set(xs).size, xs.length, 'duplicates'); }

test('messages: every delivery exactly once, newest first, with empty pages that carry next', async () => {
  const pages = await walk(sim, '/messages?limit=37');
  const got = items(pages, 'messages');
  const want = sim.truth.messages();
  assert.equal(want.length, sim.sizes.deliveries);
  assert.deepEqual(ids(got), ids(want));
  assertUnique(ids(got));
  for (let i = 1; i < got.length; i++) assert.ok((got[i - 1]!['created'] as number) >= (got[i]!['created'] as number));
  assert.ok(pages.some((p) => (p['messages'] as unknown[]).length === 0 && p['next'] !== ''), 'an empty page with next');
  assert.equal(pages.at(-1)!['next'], '');
});

test('messages: start_ts and end_ts are both inclusive', async () => {
  const all = sim.truth.messages();
  const from = all[300]!['created'] as number;
  const to = all[100]!['created'] as number;
  const got = items(await walk(sim, `/messages?limit=1000&start_ts=${from}&end_ts=${to}`), 'messages');
  const want = all.filter((m) => (m['created'] as number) >= from && (m['created'] as number) <= to);
  assert.deepEqual(ids(got), ids(want));
  assert.ok(got.some((m) => m['created'] === from) && got.some((m) => m['created'] === to));
  assert.equal((await call(sim, `/messages?start_ts=${to}&end_ts=${from}`)).status, 400);
});

test('messages: filters by campaign and metric, and per-campaign/newsletter endpoints page', async () => {
  const all = sim.truth.messages();
  const c1 = items(await walk(sim, '/campaigns/1/messages?limit=5'), 'messages');
  assert.deepEqual(ids(c1), ids(all.filter((m) => m['campaign_id'] === 1)));
  const opened = items(await walk(sim, '/messages?metric=opened&limit=50'), 'messages');
  assert.deepEqual(ids(opened), ids(all.filter((m) => (m['metrics'] as Body)['opened'] !== undefined)));
  const n = all.find((m) => m['newsletter_id'] !== null)!['newsletter_id'];
  const nl = items(await walk(sim, `/newsletters/${String(n)}/messages?limit=3`), 'messages');
  assert.deepEqual(ids(nl), ids(all.filter((m) => m['newsletter_id'] === n)));
});

test('messages: bad limit, bad token, unknown message', async () => {
  assert.equal((await call(sim, '/messages?limit=1001')).status, 400);
  assert.equal((await call(sim, '/messages?limit=0')).status, 400);
  const first = await call(sim, '/messages?limit=2');
  const next = first.body['next'] as string;
  assert.equal((await call(sim, `/messages?start=${encodeURIComponent(next.toLowerCase())}`)).status, 400, 'tokens are case-sensitive');
  assert.equal((await call(sim, '/messages?start=garbage!')).status, 400);
  const r = await call(sim, '/messages/nope');
  assert.equal(r.status, 404);
  assert.deepEqual(Object.keys((r.body['errors'] as Body[])[0]!).sort(), ['detail', 'status']);
});

test('activities: every activity of the last 30 days once, newest first, limit max 100', async () => {
  const pages = await walk(sim, '/activities?limit=100');
  const got = items(pages, 'activities');
  const want = sim.truth.activities();
  assert.ok(want.length > 50);
  assert.deepEqual(ids(got), ids(want));
  assertUnique(ids(got));
  const now = sim.truth.now();
  for (const a of got) assert.ok((a['timestamp'] as number) >= now - 30 * 86400 && (a['timestamp'] as number) <= now);
  for (let i = 1; i < got.length; i++) assert.ok((got[i - 1]!['timestamp'] as number) >= (got[i]!['timestamp'] as number));
  assert.equal((await call(sim, '/activities?limit=101')).status, 400);
  const withDeleted = items(await walk(sim, '/activities?limit=100&deleted=true'), 'activities');
  assert.deepEqual(ids(withDeleted), ids(sim.truth.activities({ includeDeleted: true })));
  const events = items(await walk(sim, '/activities?limit=7&type=event'), 'activities');
  assert.deepEqual(ids(events), ids(want.filter((a) => a['type'] === 'event')));
});

test('segment membership: every member once; empty segment has null lists', async () => {
  for (const seg of sim.truth.segments()) {
    const pages = await walk(sim, `/segments/${seg.id}/membership?limit=7`);
    const got = pages.flatMap((p) => (p['identifiers'] ?? []) as Body[]).map((x) => x['cio_id']);
    assert.deepEqual(got, sim.truth.segmentMembers(seg.id), `segment ${seg.id}`);
    if (got.length === 0) assert.equal(pages[0]!['identifiers'], null);
  }
  assert.equal((await call(sim, '/segments/999/membership')).status, 404);
  assert.equal((await call(sim, '/segments/1/membership?limit=30001')).status, 400);
});

test('customers search: match-all walks every live person once; filter required', async () => {
  const filter = { and: [{ attribute: { field: 'cio_id', operator: 'exists' } }] };
  const pages = await walk(sim, '/customers?limit=13', { method: 'POST', body: { filter } });
  const got = pages.flatMap((p) => (p['identifiers'] ?? []) as Body[]).map((x) => x['cio_id']);
  assert.deepEqual(got, sim.truth.people().map((p) => p.cio_id));
  assert.equal(pages.at(-1)!['next'], null);
  const seg = sim.truth.segments()[0]!;
  const inSeg = (await walk(sim, '/customers?limit=1000', { method: 'POST', body: { filter: { segment: { id: seg.id } } } }))
    .flatMap((p) => (p['identifiers'] ?? []) as Body[]).map((x) => x['cio_id']);
  assert.deepEqual(inSeg, sim.truth.segmentMembers(seg.id));
  assert.equal((await call(sim, '/customers', { method: 'POST', body: {} })).status, 400);
  assert.equal((await call(sim, '/customers', { method: 'POST', body: { filter: { attribute: { field: 'x', operator: 'gt' } } } })).status, 400);
});

test('campaign actions: 10 per page, ends with next ""; broadcast actions end without next', async () => {
  const want = sim.truth.campaignActions(1).map((a) => a.id);
  assert.equal(want.length, 23);
  const pages = await walk(sim, '/campaigns/1/actions');
  assert.deepEqual(pages.map((p) => (p['actions'] as unknown[]).length), [10, 10, 3]);
  assert.deepEqual(items(pages, 'actions').map((a) => Number(a['id'])), want);
  assert.equal(pages.at(-1)!['next'], '');
  for (const b of sim.truth.broadcasts()) {
    const bp = await walk(sim, `/broadcasts/${b.id}/actions`);
    assert.deepEqual(items(bp, 'actions').map((a) => Number(a['id'])), b.actions.map((a) => a.id));
    assert.equal('next' in bp.at(-1)!, false);
  }
});

test('newsletters: paged asc and desc, end signalled by null; contents listed', async () => {
  const want = sim.truth.newsletters().map((n) => n.id);
  const asc = await walk(sim, '/newsletters?limit=3&sort=asc');
  assert.deepEqual(items(asc, 'newsletters').map((n) => n['id']), want);
  assert.equal(asc.at(-1)!['next'], null);
  const desc = items(await walk(sim, '/newsletters?limit=2&sort=desc'), 'newsletters').map((n) => n['id']);
  assert.deepEqual(desc, [...want].reverse());
  const contents = (await call(sim, `/newsletters/${want[0]!}/contents`)).body['contents'] as Body[];
  assert.deepEqual(contents.map((c) => c['id']), sim.truth.newsletters()[0]!.content_ids);
});

test('unpaged lists and single records', async () => {
  const campaigns = (await call(sim, '/campaigns')).body['campaigns'] as Body[];
  assert.deepEqual(campaigns.map((c) => c['id']), sim.truth.campaigns().map((c) => c.id));
  const segs = (await call(sim, '/segments')).body['segments'] as Body[];
  assert.equal(segs.length, sim.sizes.segments);
  const ws = (await call(sim, '/workspaces')).body['workspaces'] as Body[];
  assert.equal(ws[0]!['id'], String(sim.workspaceId), 'workspace ids come as strings (OpenAPI example "13XXXX")');
  const m = sim.truth.messages()[5]!;
  const one = await call(sim, `/messages/${encodeURIComponent(m['id'] as string)}`);
  assert.equal((one.body['message'] as Body)['id'], m['id']);
  const kept = sim.truth.messages().find((x) => x['forgotten'] === false && x['type'] === 'email')!;
  const arch = await call(sim, `/messages/${encodeURIComponent(kept['id'] as string)}/archived_message`);
  assert.equal(arch.status, 200);
  assert.equal((arch.body['archived_message'] as Body)['id'], kept['id']);
});
