import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactRecordData, hasUnsafeNumber, JsonNumberText, makeWellFormed, parseJsonLossless, toJsonText } from '../../src/destination/json-lossless.js';

test('parseJsonLossless keeps integers beyond 2^53 exact and parses everything else as JSON.parse does', () => {
  const text = '{"a":9007199254740993,"b":[-9223372036854775809,1.5,1e400,12345678901234567890.5],"c":"x\\"y\\u00e9","d":{"__proto__":1},"e":[],"f":{},"g":true,"h":null,"i":9007199254740991}';
  const v = parseJsonLossless(text) as Record<string, unknown>;
  assert.equal(v.a, 9007199254740993n);
  assert.deepEqual(v.b, [-9223372036854775809n, 1.5, new JsonNumberText('1e400'), 12345678901234567890.5]);
  assert.equal(v.c, 'x"yé');
  assert.ok(Object.hasOwn(v.d as object, '__proto__'));
  assert.deepEqual([v.e, v.f, v.g, v.h, v.i], [[], {}, true, null, 9007199254740991]);
  assert.throws(() => parseJsonLossless('{"a":1,}'), SyntaxError);
  assert.throws(() => parseJsonLossless('[1] 2'), SyntaxError);
  const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
  assert.equal(toJsonText(parseJsonLossless(deep)), deep);
});

test('toJsonText writes bigints exactly and any depth; hasUnsafeNumber finds rounded numbers', () => {
  assert.equal(toJsonText({ a: 1n, b: [2n ** 70n, 'x', null, undefined], c: undefined }), `{"a":1,"b":[${2n ** 70n},"x",null,null]}`);
  assert.equal(toJsonText({ a: 1 }), '{"a":1}');
  assert.equal(hasUnsafeNumber({ a: [1, { b: 2 ** 53 }] }), true);
  assert.equal(hasUnsafeNumber({ a: [1, { b: 2 ** 53 - 1 }], c: -(2 ** 53) + 1 }), false);
  assert.equal(hasUnsafeNumber(-(2 ** 53)), true);
});

test('makeWellFormed replaces lone surrogates in strings and keys, nested too, and names the top-level fields', () => {
  const data: Record<string, unknown> = { ok: 'fine 😀', s: 'a\uD800', n: { 'k\uDC00': ['\uDBFF'] }, ['x\uD800']: 1 };
  assert.deepEqual(makeWellFormed(data).sort(), ['n', 's', 'x\uFFFD']);
  assert.deepEqual(data, { ok: 'fine 😀', s: 'a\uFFFD', n: { 'k\uFFFD': ['\uFFFD'] }, 'x\uFFFD': 1 });
});

test('exactRecordData takes numbers and nested values from the exact parse, keeps changed text and nulled fields', () => {
  const line = '{"type":"RECORD","record":{"stream":"s","emitted_at":1,"data":{"n":9007199254740993,"o":{"m":18014398509481985},"s":"\\ud800","big":"x","d":2.5}}}';
  const current = { n: 9007199254740992, o: { m: 18014398509481984 }, s: '\uFFFD', big: null, d: 2.5 };
  assert.deepEqual(exactRecordData(line, current), { n: 9007199254740993n, o: { m: 18014398509481985n }, s: '\uFFFD', big: null, d: 2.5 });
});

test('number literals beyond the range of a double keep their text through parse and write', () => {
  const text = '{"a":1e400,"b":[-1.5E+999,2e308],"c":1e+308,"d":{"e":9e999999}}';
  const v = parseJsonLossless(text) as { a: unknown; b: unknown[]; c: unknown };
  assert.ok(v.a instanceof JsonNumberText);
  assert.equal(v.c, 1e308, 'a finite double stays a number');
  assert.equal(toJsonText(v), text);
  assert.equal(hasUnsafeNumber(JSON.parse(text)), true, 'JSON.parse made them Infinity: the line is re-read');
});
