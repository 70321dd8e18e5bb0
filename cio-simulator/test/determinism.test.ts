import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator } from '../src/simulator.js';
import { sizesFor } from '../src/options.js';
import { Workspace } from '../src/workspace.js';
import { call, start, type Body } from './helpers.js';

test('same seed gives the same workspace, a different seed a different one', async () => {
  const [a, b, c] = await Promise.all([start({ seed: 11 }), start({ seed: 11 }), start({ seed: 12 })]);
  try {
    assert.equal(a.apiKey, b.apiKey);
    assert.equal(a.workspaceId, b.workspaceId);
    assert.deepEqual(a.truth.messages(), b.truth.messages());
    assert.deepEqual(a.truth.people({ includeDeleted: true }), b.truth.people({ includeDeleted: true }));
    assert.deepEqual(a.truth.activities(), b.truth.activities());
    assert.deepEqual(a.truth.campaigns(), b.truth.campaigns());
    assert.deepEqual((await call(a, '/messages?limit=20')).body, (await call(b, '/messages?limit=20')).body);
    assert.notDeepEqual(a.truth.messages().map((m) => m['id']), c.truth.messages().map((m) => m['id']));
    assert.notEqual(a.apiKey, c.apiKey);
  } finally { await Promise.all([a.close(), b.close(), c.close()]); }
});

test('bench size is lazy: a million deliveries, first page fast, ids unique, times monotonic', async () => {
  const ws = new Workspace(3, sizesFor('bench'), 1793491200);
  assert.equal(ws.deliveryCount, 1_000_000);
  const seen = new Set<string>();
  let prev = -Infinity;
  for (let i = 0; i < 1_000_000; i += 997) {
    const t = ws.deliveryCreated(i);
    assert.ok(t >= prev);
    prev = t;
    const id = ws.delivery(i).id;
    assert.equal(ws.deliveryIndexOf(id), i);
    seen.add(id);
  }
  assert.equal(seen.size, Math.ceil(1_000_000 / 997));
  const sim = await startSimulator({ seed: 3, size: 'bench', rateLimit: { perSecond: 0 } });
  try {
    // How fast a page is served is the bench's business (npm run bench -- source-standard), not a unit test's.
    const r = await call(sim, '/messages?limit=1000');
    assert.equal((r.body['messages'] as Body[]).length, 1000);
    assert.ok(process.memoryUsage().heapUsed < 500 * 1024 * 1024);
  } finally { await sim.close(); }
});

test('customers/attributes: flat items with timestamps, unknown ids omitted, >100 ids is 400', async () => {
  const sim = await start();
  try {
    const people = sim.truth.people();
    const ids = [people[0]!.id ?? people[1]!.id!, 'does-not-exist'];
    const r = await call(sim, '/customers/attributes?id_type=id', { body: { ids } });
    assert.equal(r.status, 200);
    const list = r.body['customers'] as Body[];
    assert.equal(list.length, 1);
    assert.equal('customer' in list[0]!, false, 'not wrapped');
    assert.deepEqual(Object.keys(list[0]!).filter((k) => !k.startsWith('sim_') && k !== '_meta').sort(), ['attributes', 'devices', 'id', 'identifiers', 'timestamps', 'unsubscribed']);
    const p = people.find((x) => x.id === ids[0])!;
    assert.deepEqual(list[0]!['timestamps'], p.timestamps);
    assert.deepEqual(list[0]!['attributes'], p.attributes);
    const tooMany = Array.from({ length: 101 }, (_, i) => String(i));
    assert.equal((await call(sim, '/customers/attributes', { body: { ids: tooMany } })).status, 400);
    assert.equal((await call(sim, '/customers/attributes', { body: { ids: [] } })).status, 400);
    const byEmail = await call(sim, '/customers/attributes?id_type=email', { body: { ids: [people[2]!.email] } });
    assert.equal(((byEmail.body['customers'] as Body[])[0]!['identifiers'] as Body)['cio_id'], people[2]!.cio_id);
  } finally { await sim.close(); }
});
