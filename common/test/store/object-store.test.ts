// Key validation, root prefixes and key order: pure functions with literal inputs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareKeys, InvalidKeyError, normaliseRootPrefix, validateKey, validatePrefix,
} from '../../src/store/object-store.js';

describe('validateKey', () => {
  it('accepts ordinary keys', () => {
    for (const k of ['a', 'a/b/c.parquet', 'deliveries/2024_01_02_17000_0.csv.gz', '_manifests/x.json', 'ü/日本.txt', '.keep', 'a..b', 'a b']) {
      assert.equal(validateKey(k), k);
    }
  });
  it('rejects escapes, absolute paths, control characters and backslashes with a reason', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/], ['..', /"\.\." segment/], ['a/../b', /"\.\." segment/], ['./a', /"\." segment/],
      ['/a', /absolute path/], ['a//b', /empty path segment/], ['a/', /empty path segment/],
      ['a\\b', /backslash/], ['a\0b', /NUL/], ['a\tb', /control character 0x9/], ['a\u007f', /control character 0x7f/],
      ['C:/Windows', /drive letter/], ['x/.tmp-1', /reserved/], ['\uDC00', /lone surrogate/], ['é'.repeat(513), /longer than 1024 bytes/],
    ];
    for (const [k, why] of cases) {
      assert.throws(() => validateKey(k), (e: unknown) => e instanceof InvalidKeyError && why.test(e.message), JSON.stringify(k));
    }
  });
});

describe('validatePrefix', () => {
  it('accepts empty, folder and partial prefixes', () => {
    for (const p of ['', 'a/', 'a/b', 'a/.', 'a/.tm', 'deliveries/2024_']) assert.equal(validatePrefix(p), p);
  });
  it('rejects prefixes that escape', () => {
    for (const p of ['/', '../', 'a/../', 'a/..', 'a//', 'a\\', '\0', 'a/.tmp-x/']) assert.throws(() => validatePrefix(p), InvalidKeyError, p);
  });
});

describe('normaliseRootPrefix', () => {
  it('trims slashes and ends with one', () => {
    assert.equal(normaliseRootPrefix(undefined), '');
    assert.equal(normaliseRootPrefix(''), '');
    assert.equal(normaliseRootPrefix('/'), '');
    assert.equal(normaliseRootPrefix('/data/cio/'), 'data/cio/');
    assert.throws(() => normaliseRootPrefix('data/../x'), InvalidKeyError);
  });
});

describe('compareKeys', () => {
  it('orders like S3: UTF-8 byte order', () => {
    const keys = ['b', 'a/b', 'a-c', 'a', 'ab', '\uFFFD', '😀', 'Z', 'é', 'a/'];
    const expected = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    assert.deepEqual([...keys].sort(compareKeys), expected);
    // plain JS sort differs: UTF-16 puts the surrogate pair of 😀 before U+FFFD
    assert.notDeepEqual([...keys].sort(), expected);
    assert.equal(compareKeys('x', 'x'), 0);
    assert.ok(compareKeys('a', 'ab') < 0);
  });
});
