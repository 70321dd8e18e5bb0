import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, start } from './helpers.js';

test('a 503 burst after N requests, then recovery; stats count it', async () => {
  const sim = await start({ faults: [{ kind: 'status', status: 503, path: '/messages', skip: 1, count: 2 }] });
  try {
    const s: number[] = [];
    for (let k = 0; k < 4; k++) s.push((await call(sim, '/messages?limit=1')).status);
    assert.deepEqual(s, [200, 503, 503, 200]);
    assert.equal((await call(sim, '/campaigns')).status, 200, 'other paths unaffected');
    const st = sim.stats();
    assert.deepEqual(st.byEndpoint['GET /v1/messages'], { 200: 2, 503: 2 });
    assert.equal(st.total, 5);
    sim.resetStats();
    assert.equal(sim.stats().total, 0);
  } finally { await sim.close(); }
});

test('500 is a JSON envelope, 502 is an HTML page (as from a load balancer)', async () => {
  const sim = await start();
  try {
    sim.control.setFaults([{ kind: 'status', status: 500 }, { kind: 'status', status: 502, skip: 1 }]);
    const a = await call(sim, '/segments');
    assert.equal(a.status, 500);
    assert.equal((a.body['errors'] as Array<Record<string, string>>)[0]!['status'], '500');
    const b = await call(sim, '/segments');
    assert.equal(b.status, 502);
    assert.match(b.text, /Bad Gateway/);
    assert.equal((await call(sim, '/segments')).status, 200);
  } finally { await sim.close(); }
});

test('a dropped connection makes the request fail; a slow rule delays the response', async () => {
  const sim = await start({ faults: [{ kind: 'drop', path: /^\/v1\/campaigns$/ }, { kind: 'slow', delayMs: 150, path: '/segments' }] });
  try {
    await assert.rejects(call(sim, '/campaigns'));
    assert.equal((await call(sim, '/campaigns')).status, 200);
    const t0 = Date.now();
    assert.equal((await call(sim, '/segments')).status, 200);
    assert.ok(Date.now() - t0 >= 140);
    assert.equal(sim.stats().byEndpoint['GET /v1/campaigns']?.['dropped'], 1);
  } finally { await sim.close(); }
});
