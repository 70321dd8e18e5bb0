import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, start } from './helpers.js';

const ENVELOPE = { errors: [{ detail: 'Unauthorized request: check your App API key and that you are using the API host of the region your workspace is in', status: '401' }] };

test('a US workspace answers on the US URL and 401s on the EU URL', async () => {
  const sim = await start({ apiKey: 'k-us' });
  try {
    assert.equal(sim.baseUrl, sim.usUrl);
    assert.match(sim.usUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.notEqual(sim.usUrl, sim.euUrl);
    assert.equal((await call(sim, '/campaigns')).status, 200);
    const eu = await call(sim, '/campaigns', { base: sim.euUrl });
    assert.equal(eu.status, 401);
    assert.deepEqual(eu.body, ENVELOPE);
    const bad = await call(sim, '/campaigns', { key: 'wrong' });
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.body, ENVELOPE);
    const none = await fetch(`${sim.usUrl}/campaigns`);
    assert.equal(none.status, 401);
    assert.equal(sim.stats().byStatus['401'], 3);
  } finally { await sim.close(); }
});

test('an EU workspace answers on the EU URL only', async () => {
  const sim = await start({ region: 'eu' });
  try {
    assert.equal(sim.baseUrl, sim.euUrl);
    assert.equal((await call(sim, '/campaigns')).status, 200);
    assert.equal((await call(sim, '/campaigns', { base: sim.usUrl })).status, 401);
  } finally { await sim.close(); }
});

test('unknown endpoints are 404 in the error envelope', async () => {
  const sim = await start();
  try {
    const r = await call(sim, '/nope');
    assert.equal(r.status, 404);
    assert.equal((r.body['errors'] as Array<Record<string, string>>)[0]!['status'], '404');
  } finally { await sim.close(); }
});
