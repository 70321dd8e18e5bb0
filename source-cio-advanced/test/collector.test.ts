// The collector over HTTP: auth, every validation error, gzip, batch, webhook signatures,
// health, group commit, and "durable before acknowledged".
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LocalFolderStore } from '@cio-dw/common';
import type { ObjectStore } from '@cio-dw/common';
import { webhookSignature } from '../src/collector/auth.js';
import { SPOOL_PREFIX } from '@cio-dw/common';
import { aheadClock, collectorConfig, KEY2, post, readAll, SECRET, sourceConfig, startCollector, tempDir } from './helpers/harness.js';
import type { Running } from './helpers/harness.js';

async function listKeys(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of store.list(SPOOL_PREFIX)) keys.push(o.key);
  return keys;
}

describe('collector endpoints', () => {
  let dir: string;
  let c: Running;
  before(async () => { dir = await tempDir(); c = await startCollector(collectorConfig(dir)); });
  after(async () => { await c.close(); });

  test('healthz and unknown routes', async () => {
    const h = await fetch(`${c.url}/healthz`);
    assert.equal(h.status, 200);
    assert.deepEqual(await h.json(), { status: 'ok' });
    assert.equal((await post(c.url, '/v1/nope', {})).status, 404);
    assert.equal((await fetch(`${c.url}/v1/track`)).status, 405);
  });

  test('401 for a missing, unknown or malformed write key; a second key works', async () => {
    const call = { userId: 'u', event: 'E' };
    const missing = await post(c.url, '/v1/track', call, { key: null });
    assert.equal(missing.status, 401);
    assert.match(missing.body.meta.errors[0], /write key/);
    assert.equal((await post(c.url, '/v1/track', call, { key: 'wrong-key-123' })).status, 401);
    assert.equal((await post(c.url, '/v1/track', call, { headers: { authorization: 'Bearer x' }, key: null })).status, 401);
    assert.equal((await post(c.url, '/v1/track', call, { key: KEY2 })).status, 200);
  });

  test('every validation error is a 4xx naming the field (spec problems: in strict mode)', async () => {
    const strict = { 'x-strict-mode': '1' };
    const cases: [string, unknown, number, RegExp, string?, Record<string, string>?][] = [
      ['/v1/track', undefined, 400, /^body: invalid JSON/, '{"userId":'],
      ['/v1/identify', { traits: {} }, 400, /^userId: missing; a identify call needs userId or anonymousId \(strict mode\)/, undefined, strict],
      ['/v1/track', { userId: 'u' }, 400, /^event: missing/, undefined, strict],
      ['/v1/alias', { userId: 'u' }, 400, /^previousId: missing/, undefined, strict],
      ['/v1/group', { userId: 'u' }, 400, /^groupId: missing/, undefined, strict],
      ['/v1/batch', { batch: [{ type: 'identify', userId: 'u', traits: 'x' }, { type: 'bogus', userId: 'u' }] }, 400, /^batch\[0\]\.traits: must be a JSON object/],
      ['/v1/batch', { batch: [{ userId: 'u' }] }, 400, /^batch\[0\]\.type: missing/],
      ['/v1/batch', { calls: [] }, 400, /^batch: missing/],
      ['/v1/page', { userId: 'u', properties: 'x' }, 400, /^properties: must be a JSON object/],
      ['/v1/identify', { userId: { id: 'u' } }, 400, /^userId: must be a string \(got object\)/],
      ['/v1/track', { userId: 'u', event: 'E', timestamp: 'Jan 2 2024' }, 400, /^timestamp: "Jan 2 2024" is not an ISO-8601 date-time/],
      ['/v1/track', { userId: 'u', event: 'E', timestamp: '1' }, 400, /^timestamp: "1" is not an ISO-8601 date-time/],
      ['/v1/track', { userId: 'u', event: 'E', properties: { blob: 'x'.repeat(33_000) } }, 413, /limit of 32768 bytes \(32 KB\)/],
      ['/v1/batch', { batch: Array.from({ length: 20 }, () => ({ type: 'track', userId: 'u', event: 'E', properties: { blob: 'x'.repeat(30_000) } })) }, 413, /limit of 512000 bytes \(500 KB\)/],
      ['/v1/batch', { batch: [{ type: 'track', userId: 'u', event: 'E', properties: { blob: 'x'.repeat(33_000) } }] }, 413, /^batch\[0\]: call is \d+ bytes; the limit is 32768 bytes \(32 KB\) per call/],
    ];
    for (const [path, body, status, re, raw, headers] of cases) {
      const r = await post(c.url, path, body, { ...(raw !== undefined ? { raw } : {}), ...(headers ? { headers } : {}) });
      assert.equal(r.status, status, `${path} ${JSON.stringify(body)?.slice(0, 80)}: ${JSON.stringify(r.body)}`);
      assert.match(r.body.meta.errors[0], re);
    }
    const rows = await readAll(sourceConfig({ storage: 'local', path: dir }));
    // Only the one valid call of the auth test (user "u", key 2) is in the spool: every rejected call left nothing.
    assert.equal(Object.values(rows.rows).flat().filter((r) => r.user_id === 'u').length, 1);
  });

  test('gzip bodies, batch with batch-level context, every single-call endpoint', async () => {
    const ok = (r: { status: number; body: unknown }) => assert.equal(r.status, 200, JSON.stringify(r.body));
    ok(await post(c.url, '/v1/identify', { userId: 'gz-user', traits: { plan: 'pro' }, messageId: 'gz-1' }, { gzip: true }));
    ok(await post(c.url, '/v1/batch', {
      batch: [
        { type: 'track', userId: 'b-user', event: 'Order Completed', properties: { total: 5 }, messageId: 'b-1', context: { ip: '1.2.3.4' } },
        { type: 'page', anonymousId: 'anon-b', name: 'Home', messageId: 'b-2' },
        { type: 'alias', userId: 'b-user', previousId: 'anon-b', messageId: 'b-3' },
      ],
      context: { ip: '9.9.9.9', library: { name: 'custom' } }, integrations: { All: true },
    }, { gzip: true }));
    ok(await post(c.url, '/v1/screen', { userId: 's-user', name: 'feed', messageId: 's-1' }));
    ok(await post(c.url, '/v1/group', { userId: 'g-user', groupId: 'acme', traits: { objectTypeId: '2' }, messageId: 'g-1' }));
    ok(await post(c.url, '/v1/track', { anonymousId: 'anon-t', event: 'Signed Up' }));
    const { rows } = await readAll(sourceConfig({ storage: 'local', path: dir }));
    const by = (s: string, id: string) => rows[s]!.find((r) => r.id === id);
    assert.deepEqual(by('identify', 'gz-1')?.traits, { plan: 'pro' });
    const t = by('track', 'b-1')!;
    assert.equal(t.event, 'order_completed');
    assert.deepEqual(t.context, { ip: '1.2.3.4', library: { name: 'custom' } }, 'call context wins over batch context');
    assert.deepEqual(t.integrations, { All: true });
    assert.deepEqual(by('page', 'b-2')?.context, { ip: '9.9.9.9', library: { name: 'custom' } });
    assert.equal(by('alias', 'b-3')?.previous_id, 'anon-b');
    assert.equal(by('screen', 's-1')?.name, 'feed');
    assert.equal(by('group', 'g-1')?.object_type_id, '2');
    const signedUp = rows.track!.find((r) => r.event_text === 'Signed Up')!;
    assert.match(String(signedUp.id), /^[0-9a-f-]{36}$/, 'messageId generated');
    assert.ok(Date.now() - Date.parse(String(signedUp.received_at)) < 60_000, 'receivedAt stamped');
  });

  test('webhook: good signature accepted (single and array), bad and missing refused', async () => {
    const single = JSON.stringify({ type: 'track', userId: 'wh-user', event: 'Email Opened', messageId: 'wh-1', receivedAt: '2026-01-02T03:04:05.000Z' });
    const arr = JSON.stringify([{ type: 'identify', userId: 'wh-user', messageId: 'wh-2' }, { type: 'page', userId: 'wh-user', name: 'P', messageId: 'wh-3' }]);
    const sign = (b: string) => ({ 'x-signature': webhookSignature(b, SECRET) });
    assert.equal((await post(c.url, '/webhook', undefined, { raw: single, key: null, headers: sign(single) })).status, 200);
    assert.equal((await post(c.url, '/webhook', undefined, { raw: arr, key: null, headers: sign(arr) })).status, 200);
    const bad = await post(c.url, '/webhook', undefined, { raw: arr, key: null, headers: { 'x-signature': webhookSignature(arr, 'other-secret') } });
    assert.equal(bad.status, 401);
    assert.match(bad.body.meta.errors[0], /^X-Signature: does not match/);
    const tampered = await post(c.url, '/webhook', undefined, { raw: arr.replace('wh-3', 'wh-9'), key: null, headers: sign(arr) });
    assert.equal(tampered.status, 401);
    const missing = await post(c.url, '/webhook', undefined, { raw: arr, key: null });
    assert.equal(missing.status, 401);
    assert.match(missing.body.meta.errors[0], /^X-Signature: missing/);
    const tooMany = JSON.stringify(Array.from({ length: 1001 }, (_, i) => ({ type: 'identify', userId: `u${i}` })));
    const r = await post(c.url, '/webhook', undefined, { raw: tooMany, key: null, headers: sign(tooMany) });
    assert.equal(r.status, 413);
    assert.match(r.body.meta.errors[0], /1001 events; the limit is 1000/);
    const { rows } = await readAll(sourceConfig({ storage: 'local', path: dir }));
    assert.equal(rows.track!.find((x) => x.id === 'wh-1')?.received_at, '2026-01-02T03:04:05.000Z', 'Customer.io receipt time kept');
    assert.ok(rows.identify!.some((x) => x.id === 'wh-2'));
    assert.ok(rows.page!.some((x) => x.id === 'wh-3'));
    assert.ok(!rows.page!.some((x) => x.id === 'wh-9'));
  });
});

describe('group commit and durability', () => {
  test('concurrent requests share one spool object', async () => {
    const dir = await tempDir();
    const c = await startCollector(collectorConfig(dir, { group_commit: { window_ms: 50, max_concurrent_writes: 1 } }));
    try {
      const rs = await Promise.all(Array.from({ length: 40 }, (_, i) => post(c.url, '/v1/track', { userId: `u${i}`, event: 'E' })));
      assert.ok(rs.every((r) => r.status === 200));
      const keys = await listKeys(c.store);
      assert.ok(keys.length >= 1 && keys.length <= 4, `40 calls in ${keys.length} objects`);
      assert.equal(c.collector.writer.stats.calls, 40);
    } finally { await c.close(); }
  });

  test('no 200 before the spool write completes; a failed write answers 503', async () => {
    const dir = await tempDir();
    const inner = new LocalFolderStore(dir, { domain: 'spool' });
    let release!: () => void;
    let fail = false;
    const gate = new Promise<void>((r) => { release = r; });
    const store = Object.assign(Object.create(inner) as ObjectStore, {
      putNew: async (...a: Parameters<ObjectStore['putNew']>) => {
        if (fail) throw new Error('disk on fire');
        await gate;
        return inner.putNew(...a);
      },
    });
    const c = await startCollector(collectorConfig(dir), { store });
    try {
      let answered = false;
      const pending = post(c.url, '/v1/identify', { userId: 'slow' }).then((r) => { answered = true; return r; });
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(answered, false, 'answered before the spool write finished');
      assert.equal((await listKeys(inner)).length, 0);
      release();
      assert.equal((await pending).status, 200);
      assert.equal((await listKeys(inner)).length, 1);
      fail = true;
      const r = await post(c.url, '/v1/identify', { userId: 'x' });
      assert.equal(r.status, 503);
      assert.match(r.body.meta.errors[0], /could not write to the spool/);
    } finally { await c.close(); }
  });

  test('a write slower than max_write_ms is not acknowledged', async () => {
    const dir = await tempDir();
    const inner = new LocalFolderStore(dir, { domain: 'spool' });
    const store = Object.assign(Object.create(inner) as ObjectStore, {
      putNew: async (...a: Parameters<ObjectStore['putNew']>) => { await new Promise((r) => setTimeout(r, 80)); return inner.putNew(...a); },
    });
    const c = await startCollector(collectorConfig(dir, { max_write_ms: 20 }), { store });
    try {
      const r = await post(c.url, '/v1/identify', { userId: 'late' });
      assert.equal(r.status, 503);
      assert.match(r.body.meta.errors[0], /not acknowledged/);
    } finally { await c.close(); }
  });

  test('graceful shutdown drains requests in flight', async () => {
    const dir = await tempDir();
    const inner = new LocalFolderStore(dir, { domain: 'spool' });
    const store = Object.assign(Object.create(inner) as ObjectStore, {
      putNew: async (...a: Parameters<ObjectStore['putNew']>) => { await new Promise((r) => setTimeout(r, 200)); return inner.putNew(...a); },
    });
    const c = await startCollector(collectorConfig(dir), { store });
    const inflight = Promise.all(Array.from({ length: 5 }, (_, i) => post(c.url, '/v1/identify', { userId: `d${i}`, messageId: `d${i}` })));
    // All five are inside the server (however slowly a loaded machine schedules them) before close starts.
    while (c.collector.requestsInFlight < 5) await new Promise((r) => setTimeout(r, 5));
    await c.close();
    const rs = await inflight;
    assert.deepEqual(rs.map((r) => r.status), [200, 200, 200, 200, 200]);
    const { rows } = await readAll(sourceConfig({ storage: 'local', path: dir }), { clock: aheadClock() });
    assert.deepEqual(rows.identify!.map((r) => r.id).sort(), ['d0', 'd1', 'd2', 'd3', 'd4']);
    await assert.rejects(fetch(`${c.url}/healthz`));
  });
});
