import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitLineBatches } from '../../src/destination/lines.js';
import { OversizeLineScanner } from '../../src/destination/oversize-line.js';

const line = JSON.stringify({
  type: 'RECORD',
  record: {
    stream: 'deliveries', namespace: 'cio', emitted_at: 1_700_000_000_000, meta: { changes: [{ field: 'x', change: 'TRUNCATED', reason: 'SOURCE_FIELD_SIZE_LIMITATION' }] },
    data: { id: 'd1', 'we"ird\\key': [1, { a: '},]"' }], big: 'x'.repeat(5000), n: -1.5e3, ok: true, nested: { big: ['y'.repeat(3000)] }, last: null },
  },
});

test('the scanner keeps the record envelope and small fields and drops large ones, whatever the chunking', () => {
  for (const size of [1, 2, 3, 7, 64, 100_000]) {
    const s = new OversizeLineScanner(1000, 10_000);
    const b = Buffer.from(line);
    for (let i = 0; i < b.length; i += size) s.feed(b.subarray(i, i + size));
    const out = s.finish();
    assert.deepEqual(out.nulled, ['big', 'nested'], `chunk size ${size}`);
    assert.deepEqual(JSON.parse(out.text), {
      type: 'RECORD',
      record: {
        stream: 'deliveries', namespace: 'cio', emitted_at: 1_700_000_000_000, meta: { changes: [{ field: 'x', change: 'TRUNCATED', reason: 'SOURCE_FIELD_SIZE_LIMITATION' }] },
        data: { id: 'd1', 'we"ird\\key': [1, { a: '},]"' }], big: null, n: -1500, ok: true, nested: null, last: null },
      },
    }, `chunk size ${size}`);
  }
});

test('the scanner stops keeping fields once their total reaches the limit', () => {
  const s = new OversizeLineScanner(100, 150);
  s.feed(Buffer.from(JSON.stringify({ type: 'RECORD', record: { stream: 's', emitted_at: 1, data: { a: 'a'.repeat(80), b: 'b'.repeat(80), c: 1 } } })));
  const out = s.finish();
  assert.deepEqual(out.nulled, ['b']);
  assert.deepEqual(JSON.parse(out.text).record.data, { a: 'a'.repeat(80), b: null, c: 1 });
});

test('lines over the limit stream through the scanner (never an error), shorter ones pass unchanged, line numbers stay right', async () => {
  const long = JSON.stringify({ type: 'RECORD', record: { stream: 's', emitted_at: 1, data: { id: 1, blob: 'z'.repeat(10_000) } } });
  async function* input() {
    const all = Buffer.from(`{"type":"LOG"}\r\n${long}\r\n{"type":"STATE"}\n${long}`);
    for (let i = 0; i < all.length; i += 333) yield all.subarray(i, i + 333);
  }
  const lines = [];
  for await (const batch of splitLineBatches(input(), Number.MAX_SAFE_INTEGER, { streamAbove: 1000, scan: () => new OversizeLineScanner(500, 900) })) lines.push(...batch);
  assert.deepEqual(lines.map((l) => [l.number, l.nulled, l.bytes]), [[1, undefined, 14], [2, ['blob'], long.length], [3, undefined, 16], [4, ['blob'], long.length]]);
  assert.deepEqual(JSON.parse(lines[1]!.text).record.data, { id: 1, blob: null });
  assert.equal(lines[2]!.text, '{"type":"STATE"}');
});
