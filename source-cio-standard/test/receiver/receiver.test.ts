// The reporting-webhook receiver over HTTP: signatures (valid, invalid, stale, missing), events that
// do not parse (400 naming the field), healthz, fast answers, 200 only once the event is in the spool.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readSpoolObject, SPOOL_PREFIX } from '@cio-dw/common';
import { signReporting } from '@cio-dw/cio-simulator';
import { PATH, SIGNING_KEY, startReceiver, tempDir, type RunningReceiver } from '../helpers/receiver.js';

let rx: RunningReceiver;
before(async () => { rx = await startReceiver(await tempDir('rx')); });
after(async () => { await rx.close(); });

const event = (id: string) => ({
  event_id: id, object_type: 'email', metric: 'opened', timestamp: Math.floor(Date.now() / 1000),
  data: { delivery_id: `d-${id}`, customer_id: 'c1', identifiers: { cio_id: 'a31' }, campaign_id: 3, action_id: 7, journey_id: 'j1' },
});

async function send(body: string, h: { ts?: number | null; sig?: string | null; key?: string } = {}): Promise<{ status: number; body: { error?: string; reason?: string } }> {
  const ts = h.ts === undefined ? Math.floor(Date.now() / 1000) : h.ts;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (ts !== null) headers['x-cio-timestamp'] = String(ts);
  const sig = h.sig === undefined ? signReporting(body, ts ?? 0, h.key ?? SIGNING_KEY) : h.sig;
  if (sig !== null) headers['x-cio-signature'] = sig;
  const r = await fetch(rx.url, { method: 'POST', headers, body });
  return { status: r.status, body: await r.json() as { error?: string; reason?: string } };
}

async function spooled(): Promise<string[]> {
  const lines: string[] = [];
  for await (const o of rx.store.list(SPOOL_PREFIX)) lines.push(...await readSpoolObject(rx.store, o.key));
  return lines;
}

// How fast it answers is a benchmark's business (bench/results/collector.*), not a unit test's.
test('a correctly signed event is acknowledged only once it is in the spool', async () => {
  const body = JSON.stringify(event('ok-1'));
  const r = await send(body);
  assert.equal(r.status, 200);
  const lines = await spooled();
  assert.ok(lines.some((l) => JSON.parse(l).event_id === 'ok-1'), 'the acknowledged event is in a spool object');
});

test('invalid, stale, future and missing signatures are 401 with a reason; nothing is spooled', async () => {
  const before = (await spooled()).length;
  const body = JSON.stringify(event('bad-1'));
  const now = Math.floor(Date.now() / 1000);
  const cases: [Parameters<typeof send>[1], string][] = [
    [{ key: 'another-key-entirely' }, 'bad_signature'],
    [{ sig: 'f'.repeat(64) }, 'bad_signature'],
    [{ ts: now - 3600 }, 'stale_timestamp'],
    [{ ts: now + 3600 }, 'stale_timestamp'],
    [{ sig: null }, 'missing_signature'],
    [{ ts: null, sig: 'a'.repeat(64) }, 'missing_timestamp'],
    [{ sig: 'not-hex' }, 'malformed_signature'],
  ];
  for (const [h, reason] of cases) {
    const r = await send(body, h);
    assert.equal(r.status, 401, JSON.stringify(h));
    assert.equal(r.body.reason, reason);
    assert.match(r.body.error!, /^cio webhook: /);
    assert.ok(!r.body.error!.includes(SIGNING_KEY));
  }
  // The signature covers the body: a changed body with the old signature fails.
  const sig = signReporting(body, now, SIGNING_KEY);
  assert.equal((await send(body.replace('bad-1', 'bad-2'), { ts: now, sig })).body.reason, 'bad_signature');
  assert.equal((await spooled()).length, before);
});

test('a signed body that is not a valid event is 400 naming the field', async () => {
  const cases: [unknown, RegExp][] = [
    [{ ...event('x'), event_id: '' }, /event_id must be a non-empty string/],
    [{ ...event('x'), object_type: 'fax' }, /object_type must be one of/],
    [{ ...event('x'), timestamp: 'soon' }, /timestamp must be positive integer seconds/],
    [{ ...event('x'), data: { customer_id: 'c' } }, /data\.delivery_id is required for email events/],
    ['[1,2', /body is not JSON/],
  ];
  for (const [payload, re] of cases) {
    const r = await send(typeof payload === 'string' ? payload : JSON.stringify(payload));
    assert.equal(r.status, 400, JSON.stringify(payload));
    assert.equal(r.body.reason, 'invalid_event');
    assert.match(r.body.error!, re);
  }
});

test('healthz, wrong path and method', async () => {
  const base = rx.url.slice(0, -PATH.length);
  assert.deepEqual(await (await fetch(`${base}/healthz`)).json(), { status: 'ok' });
  assert.equal((await fetch(`${base}/other`, { method: 'POST', body: '{}' })).status, 404);
  assert.equal((await fetch(rx.url)).status, 405);
});
