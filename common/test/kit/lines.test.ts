import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitLines } from '../../src/destination/lines.js';

async function collect(chunks: (string | Buffer)[], max?: number) {
  const out = [];
  for await (const l of splitLines((async function* () { yield* chunks; })(), max)) out.push([l.number, l.text]);
  return out;
}

test('splits across chunk boundaries, keeps multi-byte characters whole, handles CRLF and no final newline', async () => {
  const euro = Buffer.from('{"a":"€"}\n');
  const chunks = [Buffer.from('{"x":1}\n{"y"'), Buffer.from(':2}\r\n'), euro.subarray(0, 7), euro.subarray(7), Buffer.from('last')];
  assert.deepEqual(await collect(chunks), [[1, '{"x":1}'], [2, '{"y":2}'], [3, '{"a":"€"}'], [4, 'last']]);
});

test('a line over the limit is an error naming its number', async () => {
  await assert.rejects(collect(['ok\n', 'x'.repeat(50), 'y'.repeat(60) + '\n'], 100), /input line 2 is longer than 100 bytes/);
});
