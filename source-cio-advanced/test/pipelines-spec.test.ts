// The collector against Customer.io's Pipelines API and source spec, over HTTP: per-call validation
// (permissive by default, strict with X-Strict-Mode: 1; a bad call never costs the valid calls of its
// batch), depth limit at the door, the 32 KB limit on the call as sent, timestamps, ids, kept fields,
// the write key each record came with, the browser library's endpoints, and webhook methods / replays.
process.env.TZ = 'America/New_York'; // offset-less timestamps must still be read as UTC
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHash } from 'node:crypto';
import { webhookSignature } from '../src/collector/auth.js';
import { collectorConfig, KEY, KEY2, post, readAll, SECRET, sourceConfig, startCollector, tempDir } from './helpers/harness.js';
import type { Running } from './helpers/harness.js';

/** The documented public name of a write key: wk_ + 12 hex digits of its SHA-256. */
const writeKeyName = (k: string) => `wk_${createHash('sha256').update(k).digest('hex').slice(0, 12)}`;
let dir: string;
let c: Running;
before(async () => { dir = await tempDir(); c = await startCollector(collectorConfig(dir)); });
after(async () => { await c.close(); });
const read = async () => (await readAll(sourceConfig({ storage: 'local', path: dir }))).rows;
const byId = (rows: Record<string, Record<string, unknown>[]>, id: string) => Object.values(rows).flat().find((r) => r.id === id);

describe('validation per call', () => {
  test('a group call without a user is valid; the batch is stored whole', async () => {
    const r = await post(c.url, '/v1/batch', { batch: [{ type: 'track', userId: 'u', event: 'ok', messageId: 'g-t1' }, { type: 'group', groupId: 'g1', messageId: 'g-g1' }] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const rows = await read();
    assert.equal(byId(rows, 'g-t1')?.validation_error, null);
    assert.equal(byId(rows, 'g-g1')?.group_id, 'g1');
    assert.equal(byId(rows, 'g-g1')?.validation_error, null);
  });

  test('permissive (default): a call failing the spec is stored, flagged with the reason, and counted', async () => {
    const before = c.collector.counts.invalid;
    const r = await post(c.url, '/v1/batch', { batch: [{ type: 'track', userId: 'u', event: 'ok', messageId: 'p-1' }, { type: 'track', userId: 'u', messageId: 'p-2' }, { type: 'identify', traits: { a: 1 }, messageId: 'p-3' }] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(c.collector.counts.invalid - before, 2);
    const rows = await read();
    assert.equal(byId(rows, 'p-1')?.validation_error, null);
    assert.equal(byId(rows, 'p-2')?.validation_error, 'event: missing; a track call needs an event name');
    assert.equal(byId(rows, 'p-3')?.validation_error, 'userId: missing; a identify call needs userId or anonymousId');
  });

  test('strict (X-Strict-Mode: 1): 400 naming the call; the valid calls of the batch are stored', async () => {
    const r = await post(c.url, '/v1/batch', { batch: [{ type: 'track', userId: 'u', event: 'ok', messageId: 's-1' }, { type: 'track', userId: 'u', messageId: 's-2' }] }, { headers: { 'x-strict-mode': '1' } });
    assert.equal(r.status, 400);
    assert.match(r.body.meta.errors[0], /^batch\[1\]\.event: missing; a track call needs an event name \(strict mode\)$/);
    assert.match(r.body.meta.errors[1], /^1 other call\(s\) of this request were stored$/);
    const rows = await read();
    assert.ok(byId(rows, 's-1'));
    assert.equal(byId(rows, 's-2'), undefined);
  });

  test('a malformed call is refused with 400 naming it; the others of its batch are stored', async () => {
    const r = await post(c.url, '/v1/batch', { batch: [{ type: 'identify', userId: { id: 7 }, messageId: 'm-1' }, { type: 'identify', userId: 'fine', messageId: 'm-2' }, { type: 'track', userId: 'u', event: 'E', timestamp: 'Jan 2 2024', messageId: 'm-3' }] });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body.meta.errors, [
      'batch[0].userId: must be a string (got object)',
      'batch[2].timestamp: "Jan 2 2024" is not an ISO-8601 date-time string (e.g. 2024-01-02T03:04:05Z)',
      '1 other call(s) of this request were stored',
    ]);
    const rows = await read();
    assert.equal(byId(rows, 'm-1'), undefined);
    assert.equal(byId(rows, 'm-2')?.user_id, 'fine');
    assert.equal((await post(c.url, '/v1/track', { userId: 'u', event: 'E', timestamp: '1' })).status, 400);
  });

  test('over-deep payloads: 400 at the door (limit 64 levels), never 500', async () => {
    const nest = (n: number) => JSON.parse(`${'['.repeat(n)}${']'.repeat(n)}`) as unknown;
    for (const n of [4109, 6000]) { // as text: JSON.stringify itself overflows on such values
      const r = await post(c.url, '/v1/identify', undefined, { raw: `{"userId":"deep","traits":{"x":${'['.repeat(n)}${']'.repeat(n)}}}` });
      assert.equal(r.status, 400, `${n} deep`);
      assert.match(r.body.meta.errors[0], /^body: nested deeper than 64 levels/);
    }
    const b = await post(c.url, '/v1/batch', { batch: [{ type: 'identify', userId: 'deep', traits: { x: nest(100) } }, { type: 'identify', userId: 'ok', messageId: 'd-2' }] });
    assert.equal(b.status, 400);
    assert.match(b.body.meta.errors[0], /^batch\[0\]: nested deeper than 64 levels/);
    assert.ok(byId(await read(), 'd-2'));
    assert.equal((await post(c.url, '/v1/identify', { userId: 'ok', messageId: 'd-3', traits: { x: nest(60) } })).status, 200);
  });

  test('the 32 KB limit applies to the call as sent, not after the collector adds receivedAt', async () => {
    const call = { type: 'track', userId: 'u', event: 'E', messageId: 'big-1', properties: { blob: '' } };
    const room = 32768 - Buffer.byteLength(JSON.stringify(call));
    call.properties.blob = 'x'.repeat(room); // exactly 32768 bytes as sent
    assert.equal(Buffer.byteLength(JSON.stringify(call)), 32768);
    const r = await post(c.url, '/v1/batch', { batch: [call], context: { library: { name: 'x' } } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    call.properties.blob += 'x';
    call.messageId = 'big-2';
    assert.equal((await post(c.url, '/v1/batch', { batch: [call] })).status, 413);
  });
});

describe('fields', () => {
  test('timestamps per the spec: sentAt from the batch, original timestamp, corrected timestamp, offset-less = UTC', async () => {
    const r = await post(c.url, '/v1/batch', {
      sentAt: '2024-01-02T03:04:15.000Z',
      batch: [
        { type: 'track', userId: 'u', event: 'E', messageId: 't-1', timestamp: '2024-01-02T03:04:05.000Z' },
        { type: 'track', userId: 'u', event: 'E', messageId: 't-2', timestamp: '2024-01-02T03:04:05', sentAt: '2024-01-02T03:04:06Z' },
        { type: 'track', userId: 'u', event: 'E', messageId: 't-3' },
      ],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const rows = await read();
    const t1 = byId(rows, 't-1')!;
    const received = Date.parse(String(t1.received_at));
    assert.equal(t1.sent_at, '2024-01-02T03:04:15.000Z');
    assert.equal(t1.original_timestamp, '2024-01-02T03:04:05.000Z');
    assert.equal(t1.timestamp, new Date(received - 10_000).toISOString(), 'receivedAt − (sentAt − originalTimestamp)');
    const t2 = byId(rows, 't-2')!;
    assert.equal(t2.original_timestamp, '2024-01-02T03:04:05.000Z', 'no offset: UTC, whatever TZ says');
    assert.equal(t2.sent_at, '2024-01-02T03:04:06.000Z', "the call's own sentAt wins");
    assert.equal(t2.timestamp, new Date(Date.parse(String(t2.received_at)) - 1000).toISOString());
    const t3 = byId(rows, 't-3')!;
    assert.equal(t3.original_timestamp, null);
    assert.equal(t3.timestamp, t3.received_at);
  });

  test('object_type_id from traits.objectTypeId; category and _metadata kept; integers beyond 2^53 exact; write key named, never shown', async () => {
    const raw = '{"batch":[{"type":"group","userId":"u","groupId":"acme","traits":{"objectTypeId":"2","object_type_id":"9","name":"ACME"},"messageId":"f-1"},'
      + '{"type":"page","userId":"u","name":"Docs","category":"Help","_metadata":{"jsRuntime":"node"},"messageId":"f-2","properties":{"big":12345678901234567890,"neg":-9007199254740993,"ok":9007199254740991}}]}';
    assert.equal((await post(c.url, '/v1/batch', undefined, { raw, key: KEY2 })).status, 200);
    const rows = await read();
    const g = byId(rows, 'f-1')!;
    assert.equal(g.object_type_id, '2');
    const p = byId(rows, 'f-2')!;
    assert.equal(p.category, 'Help');
    assert.deepEqual(p.metadata, { jsRuntime: 'node' });
    assert.deepEqual(p.properties, { big: '12345678901234567890', neg: '-9007199254740993', ok: 9007199254740991 });
    assert.equal(p.source, writeKeyName(KEY2));
    assert.notEqual(writeKeyName(KEY), writeKeyName(KEY2));
    assert.ok(!JSON.stringify(rows).includes(KEY2) && !JSON.stringify(rows).includes(KEY), 'no write key in any record');
  });
});

describe("Customer.io's browser library endpoints", () => {
  test('/v1/t|i|p|s|g|a|b with text/plain and writeKey in the body; CORS preflight', async () => {
    const origin = 'http://shop.example';
    const pre = await fetch(`${c.url}/v1/t`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), origin);
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', /POST/);
    const send = (path: string, body: unknown) => post(c.url, path, body, { key: null, headers: { 'content-type': 'text/plain', origin } });
    const cases: [string, Record<string, unknown>, string][] = [
      ['/v1/t', { event: 'Clicked', anonymousId: 'a1', messageId: 'b-t' }, 'track'], ['/v1/i', { userId: 'u1', messageId: 'b-i' }, 'identify'],
      ['/v1/p', { anonymousId: 'a1', name: 'Home', messageId: 'b-p' }, 'page'], ['/v1/s', { anonymousId: 'a1', name: 'S', messageId: 'b-s' }, 'screen'],
      ['/v1/g', { anonymousId: 'a1', groupId: 'g', messageId: 'b-g' }, 'group'], ['/v1/a', { userId: 'u1', previousId: 'a1', messageId: 'b-a' }, 'alias'],
    ];
    for (const [path, call] of cases) {
      const r = await send(path, { ...call, writeKey: KEY });
      assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
    }
    const b = await send('/v1/b', { batch: [{ type: 'track', event: 'B', anonymousId: 'a1', messageId: 'b-b', writeKey: KEY }], writeKey: KEY, sentAt: new Date().toISOString() });
    assert.equal(b.status, 200);
    const denied = await send('/v1/t', { event: 'x', anonymousId: 'a', writeKey: 'not-a-key-123' });
    assert.equal(denied.status, 401);
    assert.equal((await send('/v1/t', { event: 'x', anonymousId: 'a' })).status, 401);
    // Every answer a browser gets can be read by the page, errors the shared server writes included.
    const basic = `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`;
    const broken = await fetch(`${c.url}/v1/t`, { method: 'POST', headers: { 'content-type': 'text/plain', origin, authorization: basic }, body: '{"event":' });
    assert.equal(broken.status, 400);
    assert.equal(broken.headers.get('access-control-allow-origin'), origin, 'a malformed body: 400 with CORS');
    const huge = await fetch(`${c.url}/v1/t`, { method: 'POST', headers: { 'content-type': 'text/plain', origin }, body: JSON.stringify({ event: 'x', anonymousId: 'a', writeKey: KEY, properties: { pad: 'x'.repeat(40_000) } }) });
    assert.equal(huge.status, 413);
    assert.equal(huge.headers.get('access-control-allow-origin'), origin, 'a body over the limit: 413 with CORS');
    const rows = await read();
    for (const [, call, stream] of [...cases, ['', { messageId: 'b-b' }, 'track'] as [string, Record<string, unknown>, string]]) {
      const row = rows[stream]!.find((x) => x.id === call.messageId);
      assert.ok(row, `${String(call.messageId)} in ${stream}`);
      assert.equal(row.source, writeKeyName(KEY));
    }
    assert.ok(!JSON.stringify(rows).includes(KEY), 'the body writeKey is not stored');
  });
});

describe('webhook', () => {
  const sign = (b: string) => ({ 'x-signature': webhookSignature(b, SECRET) });
  const send = (method: string, body: string) => fetch(`${c.url}/webhook`, { method, headers: { 'content-type': 'application/json', ...sign(body) }, body });

  test('PUT, PATCH and DELETE are accepted as POST is', async () => {
    for (const m of ['PUT', 'PATCH', 'DELETE']) {
      const body = JSON.stringify({ type: 'identify', userId: `wm-${m}`, messageId: `wm-${m}` });
      assert.equal((await send(m, body)).status, 200, m);
    }
    assert.equal((await fetch(`${c.url}/webhook`, { method: 'GET' })).status, 405);
    const rows = await read();
    assert.deepEqual(['PUT', 'PATCH', 'DELETE'].map((m) => byId(rows, `wm-${m}`)?.source), ['webhook', 'webhook', 'webhook']);
  });

  test('a replayed delivery whose events have no messageId is emitted once', async () => {
    const body = JSON.stringify([{ type: 'track', userId: 'replay', event: 'Opened', receivedAt: '2026-01-02T03:04:05Z' }, { type: 'track', userId: 'replay', event: 'Clicked' }]);
    assert.equal((await send('POST', body)).status, 200);
    assert.equal((await send('POST', body)).status, 200);
    const got = (await read()).track!.filter((r) => r.user_id === 'replay');
    assert.deepEqual(got.map((r) => r.event_text).sort(), ['Clicked', 'Opened']);
  });
});
