import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main, parseCli } from '../src/main.js';

test('parseCli maps the flags', () => {
  const o = parseCli(['--seed', '1', '--people', '1000', '--port', '4010', '--no-retry-after']);
  assert.equal(o.seed, 1);
  assert.equal(o.people, 1000);
  assert.equal(o.port, 4010);
  assert.equal(o.euPort, 4011);
  assert.equal(o.rateLimit?.retryAfterHeader, false);
  assert.equal(parseCli(['--deliveries', '2000000']).size, 'bench');
  assert.throws(() => parseCli(['--people', 'many']));
  assert.throws(() => parseCli(['--bogus']));
});

test('main prints base URLs, workspace id and API key as JSON and serves', async () => {
  const lines: string[] = [];
  const sim = await main(['--seed', '2', '--people', '50', '--deliveries', '100', '--port', '0'], (l) => lines.push(l));
  assert.ok(sim);
  try {
    const info = JSON.parse(lines.join('')) as { baseUrl: string; usUrl: string; euUrl: string; apiKey: string; workspaceId: number };
    assert.equal(info.apiKey, sim.apiKey);
    assert.equal(info.workspaceId, sim.workspaceId);
    assert.match(info.usUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const r = await fetch(`${info.baseUrl}/workspaces`, { headers: { authorization: `Bearer ${info.apiKey}` } });
    assert.equal(r.status, 200);
  } finally { await sim.close(); }
});
