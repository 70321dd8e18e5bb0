// Pure parts added for Customer.io / Segment spec fidelity: ISO-8601 times (offset-less = UTC) and
// the corrected timestamp, nesting depth without recursion, integers beyond 2^53 kept exactly.
process.env.TZ = 'America/New_York';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { protectBigInts, restoreBigInts } from '../src/calls/big-ints.js';
import { deeperThan } from '../src/calls/depth.js';
import { callTimes, isoTime, parseIsoTime } from '../src/calls/time.js';
import { decodeCall } from '../src/streams/decode-call.js';

test('ISO-8601 times: offsets, no offset = UTC, date only; anything else is not a time', () => {
  assert.equal(isoTime('2024-01-02T03:04:05Z'), '2024-01-02T03:04:05.000Z');
  assert.equal(isoTime('2024-01-02T03:04:05'), '2024-01-02T03:04:05.000Z');
  assert.equal(isoTime('2024-01-02 03:04:05.123456'), '2024-01-02T03:04:05.123Z');
  assert.equal(isoTime('2024-01-02T03:04:05+02:00'), '2024-01-02T01:04:05.000Z');
  assert.equal(isoTime('2024-01-02T03:04:05-0530'), '2024-01-02T08:34:05.000Z');
  assert.equal(isoTime('2024-01-02'), '2024-01-02T00:00:00.000Z');
  assert.equal(isoTime('0099-01-02T00:00:00Z'), '0099-01-02T00:00:00.000Z');
  for (const bad of ['1', 'Jan 2 2024', '2024-02-30T00:00:00Z', '2024-13-01', '2024-01-02T25:00:00Z', '2024-01-02T03:04:05+25:00', '', 'yesterday']) {
    assert.equal(parseIsoTime(bad), undefined, bad);
  }
  assert.equal(parseIsoTime(1704164645000), undefined, 'numbers are not ISO strings');
});

test('corrected timestamp = receivedAt − (sentAt − originalTimestamp); sentAt from the batch when the call has none', () => {
  const r = '2024-01-02T00:00:10.000Z';
  assert.deepEqual(callTimes({ receivedAt: r, timestamp: '2024-01-01T23:59:00Z' }, '2024-01-02T00:00:00Z'), {
    received_at: r, sent_at: '2024-01-02T00:00:00.000Z', original_timestamp: '2024-01-01T23:59:00.000Z', timestamp: '2024-01-01T23:59:10.000Z',
  });
  assert.equal(callTimes({ receivedAt: r, originalTimestamp: '2024-01-02T00:00:01Z', timestamp: 'ignored', sentAt: '2024-01-02T00:00:03Z' }).timestamp, '2024-01-02T00:00:08.000Z');
  assert.deepEqual(callTimes({ receivedAt: r }), { received_at: r, sent_at: null, original_timestamp: null, timestamp: r });
  assert.equal(callTimes({ receivedAt: r, timestamp: '2020-05-05T05:05:05' }).timestamp, '2020-05-05T05:05:05.000Z', 'no sentAt: the client time as is');
});

test('depth without recursion', () => {
  const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
  assert.equal(deeperThan(deep, 64), true);
  assert.equal(deeperThan({ a: { b: [1, { c: 2 }] } }, 4), false);
  assert.equal(deeperThan({ a: { b: [1, { c: {} }] } }, 4), true);
  assert.equal(deeperThan('x', 0), false);
});

test('integers beyond 2^53 survive parse and serialise exactly; strings and safe integers untouched (other numbers: as JSON.parse reads them)', () => {
  const tag = '\u0000t:';
  const text = '{"a":12345678901234567890,"b":"12345678901234567890","c":[-9007199254740993,9007199254740991],"d":"x\\"12345678901234567890"}';
  const back = restoreBigInts(JSON.stringify(JSON.parse(protectBigInts(text, tag))), tag);
  assert.equal(back, text);
  assert.equal(protectBigInts('{"a":1}', tag), '{"a":1}');
});

test('decodeCall: rows for calls, reasons for everything else', () => {
  const ok = decodeCall('{"type":"track","messageId":"m","receivedAt":"2024-01-02T00:00:00Z","event":"E","properties":{"n":123456789012345678901}}');
  assert.ok('row' in ok);
  assert.deepEqual(ok.row.properties, { n: '123456789012345678901' });
  const junk = decodeCall('nope');
  assert.ok('error' in junk && /^not JSON \(/.test(junk.error) && junk.messageId === undefined);
  assert.deepEqual(decodeCall('[]'), { error: 'not a JSON object' });
  assert.deepEqual(decodeCall('{"type":"x","messageId":"m"}'), { error: 'unknown type "x"', messageId: 'm' });
  assert.deepEqual(decodeCall('{"type":"track"}'), { error: 'no messageId' });
});
