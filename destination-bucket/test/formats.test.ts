import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRow, coerceValue, FAIL, parseTimestampMicros, TOO_BIG, timestampText, type Coerced } from '../src/formats/coerce.js';
import { kindOf, layoutFor } from '../src/formats/columns.js';
import { csvField, csvRow, jsonlKeys, jsonlRow } from '../src/formats/text-rows.js';

test('JSON schema types map to column kinds', () => {
  assert.equal(kindOf({ type: 'string' }), 'string');
  assert.equal(kindOf({ type: ['null', 'integer'] }), 'int64');
  assert.equal(kindOf({ type: 'number', airbyte_type: 'integer' }), 'int64');
  assert.equal(kindOf({ type: 'number' }), 'double');
  assert.equal(kindOf({ type: 'boolean' }), 'boolean');
  assert.equal(kindOf({ type: 'string', format: 'date' }), 'date');
  assert.equal(kindOf({ type: ['null', 'string'], format: 'date-time' }), 'timestamp');
  assert.equal(kindOf({ type: 'string', format: 'date-time', airbyte_type: 'timestamp_without_timezone' }), 'string');
  assert.equal(kindOf({ type: 'object', properties: { a: { type: 'string' } } }), 'json');
  assert.equal(kindOf({ type: 'array' }), 'json');
  assert.equal(kindOf({ type: ['string', 'integer'] }), 'json');
  assert.equal(kindOf({ oneOf: [{ type: 'null' }, { type: 'integer' }] }), 'int64');
  assert.equal(kindOf({}), 'json');
});

test('layout: declared columns in order, Airbyte columns last and switchable, fingerprint tracks schema', () => {
  const schema = { type: 'object', properties: { id: { type: 'string' }, n: { type: 'integer' } } };
  const l = layoutFor(schema, true);
  assert.deepEqual(l.columns.map((c) => c.name), ['id', 'n', '_airbyte_raw_id', '_airbyte_extracted_at', '_airbyte_generation_id', '_airbyte_meta', '_airbyte_unfit_values']);
  // Only streams with a column that can refuse a value get _airbyte_unfit_values.
  assert.deepEqual(layoutFor({ type: 'object', properties: { id: { type: 'string' }, a: { type: 'object' } } }, true).columns.map((c) => c.name).at(-1), '_airbyte_meta');
  // A declared property with a destination column's name gives way to it.
  assert.deepEqual(layoutFor({ type: 'object', properties: { n: { type: 'integer' }, _airbyte_unfit_values: { type: 'string' } } }, true).columns
    .filter((c) => c.name === '_airbyte_unfit_values').map((c) => c.source), ['unfit']);
  const off = layoutFor(schema, false);
  assert.deepEqual(off.columns.map((c) => c.name), ['id', 'n']);
  assert.notEqual(l.fingerprint, off.fingerprint);
  assert.equal(layoutFor(schema, true).fingerprint, l.fingerprint);
  assert.deepEqual(layoutFor({ type: 'object' }, false).columns.map((c) => c.name), ['_airbyte_data']);
});

test('coercion accepts fitting values and fails the rest', () => {
  assert.equal(coerceValue('int64', 5), 5);
  assert.equal(coerceValue('int64', '9007199254740993'), 9007199254740993n);
  assert.equal(coerceValue('int64', '99999999999999999999'), TOO_BIG);
  assert.equal(coerceValue('int64', '-9223372036854775809'), TOO_BIG);
  assert.equal(coerceValue('int64', 9223372036854775808n), TOO_BIG);
  assert.equal(coerceValue('int64', '-9223372036854775808'), -9223372036854775808n);
  assert.equal(coerceValue('int64', 1.5), FAIL);
  assert.equal(coerceValue('double', '2.5'), 2.5);
  assert.equal(coerceValue('double', 'abc'), FAIL);
  assert.equal(coerceValue('boolean', 'true'), true);
  assert.equal(coerceValue('boolean', 1), FAIL);
  assert.equal(coerceValue('date', '2024-02-29'), 19782);
  assert.equal(coerceValue('date', '2023-02-29'), FAIL);
  assert.equal(coerceValue('string', 12), '12');
  assert.equal(coerceValue('json', { a: [1] }), '{"a":[1]}');
  assert.equal(coerceValue('timestamp', 12), FAIL);
  assert.equal(coerceValue('int64', null), null);
});

test('timestamps parse to UTC microseconds and print back', () => {
  assert.equal(parseTimestampMicros('2024-01-02T03:04:05.123456Z'), Date.UTC(2024, 0, 2, 3, 4, 5) * 1000 + 123456);
  assert.equal(parseTimestampMicros('2024-01-02T05:04:05+02:00'), Date.UTC(2024, 0, 2, 3, 4, 5) * 1000);
  assert.equal(parseTimestampMicros('2024-01-02'), Date.UTC(2024, 0, 2) * 1000);
  assert.equal(parseTimestampMicros('2024-13-02T00:00:00Z'), FAIL);
  assert.equal(parseTimestampMicros('yesterday'), FAIL);
  assert.equal(timestampText(Date.UTC(2024, 0, 2, 3, 4, 5) * 1000 + 123456), '2024-01-02T03:04:05.123456Z');
  assert.equal(timestampText(Date.UTC(2024, 0, 2, 3, 4, 5) * 1000), '2024-01-02T03:04:05.000Z');
});

test('buildRow nulls misfits and records them in _airbyte_meta.changes', () => {
  const l = layoutFor({ type: 'object', properties: { n: { type: 'integer' }, s: { type: 'string' } } }, true);
  const out: Coerced[] = [];
  const nulled = buildRow(l, {
    stream: 'x', emitted_at: 1700000000123, data: { n: 'seven', s: 'ok' },
    meta: { changes: [{ field: 'big', change: 'NULLED', reason: 'DESTINATION_RECORD_SIZE_LIMITATION' }] },
  }, { rawId: 'r1', generationId: 4, syncId: 9 }, out);
  assert.equal(nulled, 1);
  assert.deepEqual(out.slice(0, 5), [null, 'ok', 'r1', 1700000000123000, 4]);
  assert.deepEqual(JSON.parse(out[5] as string), {
    sync_id: 9,
    changes: [
      { field: 'big', change: 'NULLED', reason: 'DESTINATION_RECORD_SIZE_LIMITATION' },
      { field: 'n', change: 'NULLED', reason: 'DESTINATION_TYPECAST_ERROR' },
    ],
  });
  assert.deepEqual(JSON.parse(out[6] as string), { n: 'seven' });
});

test('buildRow keeps what did not fit in _airbyte_unfit_values, exactly and under any field name', () => {
  const l = layoutFor({ type: 'object', properties: { n: { type: 'integer' }, ['__proto__']: { type: 'integer' }, ok: { type: 'boolean' } } }, true);
  const unfit = l.columns.findIndex((c) => c.name === '_airbyte_unfit_values');
  const meta = l.columns.findIndex((c) => c.name === '_airbyte_meta');
  const out: Coerced[] = [];
  const data = JSON.parse('{"__proto__": {"deep": [1]}, "ok": true}') as Record<string, unknown>;
  data.n = 2n ** 64n;
  assert.equal(buildRow(l, { stream: 'x', emitted_at: 1, data }, { rawId: 'r', generationId: 0, syncId: 1 }, out), 2);
  assert.deepEqual(out.slice(0, 3), [null, null, true]);
  assert.equal(out[unfit], '{"n":18446744073709551616,"__proto__":{"deep":[1]}}');
  assert.deepEqual(JSON.parse(out[meta] as string).changes, [
    { field: 'n', change: 'NULLED', reason: 'DESTINATION_FIELD_SIZE_LIMITATION' },
    { field: '__proto__', change: 'NULLED', reason: 'DESTINATION_TYPECAST_ERROR' },
  ]);
  assert.equal(buildRow(l, { stream: 'x', emitted_at: 1, data: { n: 1, ok: false } }, { rawId: 'r', generationId: 0, syncId: 1 }, out), 0);
  assert.equal(out[unfit], null);
});

test('CSV escaping follows RFC 4180; NULL is empty, empty string is ""', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('line\nbreak'), '"line\nbreak"');
  assert.equal(csvField('cr\r'), '"cr\r"');
  assert.equal(csvField(''), '""');
  const cols = layoutFor({ properties: { s: { type: 'string' }, b: { type: 'boolean' }, j: { type: 'object' }, t: { type: 'string', format: 'date-time' }, n: { type: 'integer' } } }, false).columns;
  assert.equal(csvRow(cols, ['x', false, '{"a":"b,c"}', 1000000, null]), 'x,false,"{""a"":""b,c""}",1970-01-01T00:00:01.000Z,\r\n');
  assert.equal(jsonlRow(cols, jsonlKeys(cols), ['x', true, '{"a":1}', null, 9007199254740993n]),
    '{"s":"x","b":true,"j":{"a":1},"t":null,"n":9007199254740993}\n');
});
