// Pure parts: validation, call → row, slugs, spool keys and object format, the duplicate window.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { callToRow, slugify } from '../src/calls/row.js';
import { CallError, validateCall, withBatchDefaults } from '../src/calls/validate.js';
import { CALL_TYPES } from '../src/calls/call.js';
import { DamagedObjectError, decodeSpoolObject, encodeSpoolObject, keyBefore, keyTime, spoolKey } from '@cio-dw/common';
import { RecentIds } from '../src/streams/recent-ids.js';
import { streamSchema } from '../src/source.js';

const stamp = { receivedAt: '2026-01-01T00:00:00.000Z', newId: () => 'generated-id' };
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../integration_tests/calls/${name}.json`, import.meta.url), 'utf8'));

function rejects(raw: unknown, type: Parameters<typeof validateCall>[1], re: RegExp, status = 400): void {
  assert.throws(() => validateCall(raw, type, stamp), (e: unknown) => e instanceof CallError && e.status === status && re.test(e.message));
}
const valid = (raw: unknown, type: Parameters<typeof validateCall>[1], st = stamp) => validateCall(raw, type, st).call;
const problems = (raw: unknown, type: Parameters<typeof validateCall>[1], where?: string) => validateCall(raw, type, stamp, where).problems;

test('validation: a malformed call is refused naming the field; a call against the spec is kept with its problems', () => {
  rejects('x', 'track', /body: a call must be a JSON object/);
  rejects({ userId: 'u', type: 'bogus' }, undefined, /^type: unknown type "bogus"/);
  rejects({ userId: 'u' }, undefined, /^type: missing/);
  rejects({ userId: 'u', traits: [1] }, 'identify', /^traits: must be a JSON object/);
  rejects({ userId: 'u', timestamp: 'yesterday' }, 'identify', /^timestamp: "yesterday" is not an ISO-8601/);
  assert.deepEqual(problems({ userId: 'u' }, 'track'), ['event: missing; a track call needs an event name']);
  assert.deepEqual(problems({ event: 'E' }, 'track'), ['userId: missing; a track call needs userId or anonymousId']);
  assert.deepEqual(problems({ userId: 'u' }, 'alias'), ['previousId: missing; an alias call needs userId and previousId']);
  assert.deepEqual(problems({ previousId: 'p' }, 'alias'), ['userId: missing; an alias call needs userId and previousId']);
  assert.deepEqual(problems({ userId: 'u' }, 'group'), ['groupId: missing; a group call needs groupId']);
  assert.deepEqual(problems({ groupId: 'g1' }, 'group'), [], 'a group call needs no user (Customer.io group spec)');
  assert.deepEqual(problems({ type: 'track', userId: 'u' }, undefined, 'batch[2].'), ['batch[2].event: missing; a track call needs an event name']);
  const flagged = validateCall({ userId: 'u' }, 'track', stamp).call;
  assert.deepEqual(flagged._collector, { invalid: 'event: missing; a track call needs an event name' });
});

test('validation stamps receivedAt, keeps or generates messageId, and puts type first', () => {
  const a = validateCall({ userId: 'u', receivedAt: '1999-01-01T00:00:00Z', messageId: 'm1' }, 'identify', stamp).call;
  assert.deepEqual(Object.keys(a).slice(0, 3), ['type', 'messageId', 'receivedAt']);
  assert.equal(a.messageId, 'm1');
  assert.equal(a.receivedAt, stamp.receivedAt, 'a client cannot set receivedAt');
  const b = validateCall({ anonymousId: 'a', event: 'E', type: 'identify' }, 'track', stamp).call;
  assert.equal(b.type, 'track', 'the endpoint sets the type');
  assert.equal(b.messageId, 'generated-id');
  const w = validateCall({ type: 'page', userId: 'u', receivedAt: '2015-02-23T22:28:55.387Z' }, undefined, { ...stamp, keepReceivedAt: true }).call;
  assert.equal(w.receivedAt, '2015-02-23T22:28:55.387Z');
});

test('batch-level context and integrations apply to each call; the call wins', () => {
  const merged = withBatchDefaults({ context: { ip: '1.1.1.1' } }, { context: { ip: '9.9.9.9', locale: 'fr' }, integrations: { All: false } });
  assert.deepEqual(merged, { context: { ip: '1.1.1.1', locale: 'fr' }, integrations: { All: false } });
});

test('slugify', () => {
  assert.equal(slugify('Course Started'), 'course_started');
  assert.equal(slugify('  Order #42 — Completed! '), 'order_42_completed');
  assert.equal(slugify('Café Ordered'), 'cafe_ordered');
});

test('call → row for every Appendix A example', () => {
  const page = callToRow(valid(fixture('page'), undefined, stamp));
  assert.deepEqual(page, {
    id: '022bb90c-bbac-11e4-8dfc-aa07a5b093db', received_at: stamp.receivedAt, sent_at: '2015-02-23T22:28:55.111Z',
    // The client's clock ran 0 ms between event and send: the corrected timestamp is the receipt time.
    timestamp: stamp.receivedAt, original_timestamp: '2015-02-23T22:28:55.111Z', anonymous_id: '507f191e810c19729de860ea', user_id: '97980cfea0067',
    name: 'Home', category: null, properties: { title: 'Welcome | ACME, Inc.', url: 'https://www.example.com' },
    context: { ip: '8.8.8.8', userAgent: 'Mozilla/5.0 (...)' }, integrations: { All: true, Mixpanel: false, Salesforce: false }, channel: 'browser',
    metadata: null, source: null, validation_error: null,
  });
  const group = callToRow(valid(fixture('group'), undefined, stamp));
  assert.equal(group.group_id, '0e8c78ea9d97a7b8185e8632');
  assert.equal(group.object_type_id, '1');
  assert.equal((group.traits as Record<string, unknown>).employees, 329);
  const track = callToRow(valid({ type: 'track', userId: 7, event: 'Course Started', properties: { a: 1 } }, undefined, stamp));
  assert.equal(track.event, 'course_started');
  assert.equal(track.event_text, 'Course Started');
  assert.equal(track.user_id, '7');
  const alias = callToRow(valid({ type: 'alias', userId: 'new', previousId: 'old' }, undefined, stamp));
  assert.equal(alias.previous_id, 'old');
  assert.equal(callToRow(valid({ type: 'group', userId: 'u', groupId: 'g', traits: { objectTypeId: 3 } }, undefined, stamp)).object_type_id, '3');
});

test('every row column is in its stream schema; PK and cursor exist', () => {
  const samples: Record<string, unknown> = {
    identify: fixture('identify'), track: { type: 'track', userId: 'u', event: 'E' }, page: fixture('page'),
    screen: fixture('screen'), group: fixture('group'), alias: { type: 'alias', userId: 'u', previousId: 'p' },
  };
  for (const t of CALL_TYPES) {
    const props = (streamSchema(t) as { properties: Record<string, unknown> }).properties;
    assert.ok(props.id && props.received_at, `${t}: id and received_at`);
    for (const col of Object.keys(callToRow(valid(samples[t], undefined, stamp)))) assert.ok(props[col], `${t}: column ${col} not in schema`);
  }
});

test('spool keys sort in time order and parse back', () => {
  const times = [0, 999, 1000, 3_599_999, 3_600_000, 1_764_000_000_000, 1_764_000_000_001, 4_102_444_800_000];
  const keys = times.map((t, i) => spoolKey(t, 'w1', i));
  assert.deepEqual([...keys].sort(), keys);
  assert.deepEqual(keys.map(keyTime), times);
  assert.match(spoolKey(1_764_000_000_000, 'ab', 3), /^spool\/20251124\/16\/1764000000000-ab-00000003\.jsonl\.gz$/);
  const t = 1_764_000_000_000;
  assert.ok(keyBefore(t) < spoolKey(t, '0', 0) && keyBefore(t) > spoolKey(t - 1, 'zzzz', 99_999_999));
  assert.equal(keyTime('spool/other.txt'), undefined);
});

test('spool object round trip; torn or altered objects are refused as a whole', () => {
  const lines = ['{"type":"track","messageId":"a"}', '{"type":"identify","messageId":"b"}'];
  const bytes = encodeSpoolObject(lines);
  assert.deepEqual(decodeSpoolObject(bytes), lines);
  assert.deepEqual(decodeSpoolObject(encodeSpoolObject([])), []);
  assert.throws(() => decodeSpoolObject(bytes.subarray(0, bytes.length - 5)), DamagedObjectError);
  const raw = Buffer.from(decodeSpoolObjectRaw(bytes).replace('"a"', '"x"'));
  assert.throws(() => decodeSpoolObject(gzipSync(raw)), /sha256 mismatch/);
  const header = JSON.stringify({ spool: 1, count: 3, sha256: JSON.parse(decodeSpoolObjectRaw(bytes).split('\n')[0]!).sha256 });
  assert.throws(() => decodeSpoolObject(gzipSync(`${header}\n${lines.join('\n')}\n`)), /expected 3 lines, found 2/);
});

function decodeSpoolObjectRaw(b: Buffer): string {
  return gunzipSync(b).toString();
}

test('duplicate window', () => {
  const r = new RecentIds(1000);
  assert.equal(r.seen('a', 0), false);
  assert.equal(r.seen('a', 500), true);
  assert.equal(r.seen('b', 900), false);
  assert.equal(r.seen('a', 1001), false, 'outside the window: emitted again');
  assert.equal(r.seen('b', 1500), true);
});
