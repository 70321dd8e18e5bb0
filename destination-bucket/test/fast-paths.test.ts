// The hot-path shortcuts must give exactly what the general code gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as A from 'apache-arrow';
import { arrowSchema, batchToIpc, buildRecordBatch } from '../src/formats/arrow-batch.js';
import { FAIL, parseTimestampMicros, type Coerced } from '../src/formats/coerce.js';
import { ColumnBuffers } from '../src/formats/column-buffers.js';
import type { Column } from '../src/formats/columns.js';
import { mulberry32 } from '../bench/prng.js';


test('hand-parsed RFC 3339 timestamps equal the general parser (leading space forces the general path)', () => {
  const r = mulberry32(7);
  const n = (m: number): number => Math.floor(r() * m);
  const p = (v: number, w: number): string => String(v).padStart(w, '0');
  const cases = ['2024-02-29T23:59:60Z', '2023-02-29T00:00:00Z', '2000-02-29T12:00:00Z', '1900-02-29T12:00:00Z', '2024-04-31T00:00:00Z',
    '1969-12-31T23:59:59.5Z', '2024-01-01T00:00:00.1234567891Z', '2024-01-01T00:00:00.Z', '2024-01-01T00:00:00-00:45', '0999-01-01T00:00:00Z'];
  for (let i = 0; i < 20_000; i++) {
    const frac = n(3) === 0 ? '' : '.' + String(n(1e9)).slice(0, 1 + n(9));
    const off = n(3) === 0 ? 'Z' : `${n(2) ? '+' : '-'}${p(n(15), 2)}:${p(n(60), 2)}`;
    cases.push(`${p(1000 + n(9000), 4)}-${p(n(14), 2)}-${p(n(33), 2)}T${p(n(25), 2)}:${p(n(61), 2)}:${p(n(62), 2)}${frac}${off}`);
  }
  let valid = 0;
  for (const c of cases) {
    const fast = parseTimestampMicros(c);
    assert.equal(fast, parseTimestampMicros(` ${c}`), c);
    if (fast !== FAIL) valid++;
  }
  assert.ok(valid > 1000 && valid < cases.length, 'both valid and invalid inputs were exercised');
  assert.equal(parseTimestampMicros('2024-01-02T03:04:05.123456Z'), Date.UTC(2024, 0, 2, 3, 4, 5) * 1000 + 123456);
});

test('column buffers hold every kind, NULLs, big integers and non-ASCII text, and read back through Arrow', () => {
  const columns: Column[] = [
    { name: 's', kind: 'string', source: 'data' }, { name: 'i', kind: 'int64', source: 'data' },
    { name: 'd', kind: 'double', source: 'data' }, { name: 'b', kind: 'boolean', source: 'data' },
    { name: 'day', kind: 'date', source: 'data' }, { name: 'ts', kind: 'timestamp', source: 'data' },
  ];
  const rows: Coerced[][] = [
    ['a', 0, 1.5, true, 19000, 1_700_000_000_123_456],
    ['€ 👋 "q"', -1, -0.25, false, -1, -1],
    [null, null, null, null, null, null],
    ['', 2 ** 53 - 1, 1e300, true, 0, 0],
    [FAIL, 9007199254740993n, Number.MIN_VALUE, FAIL, 1, -(2 ** 40)],
    ['z', -(2n ** 63n), 0, false, 2, 4_102_444_800_000_000],
  ];
  const buffers = new ColumnBuffers(columns, 4);
  const groups = [];
  for (const row of rows) {
    buffers.append(row);
    if (buffers.full) groups.push(buffers.seal());
  }
  groups.push(buffers.seal());
  assert.deepEqual(groups.map((g) => g.rows), [4, 2]);
  const schema = arrowSchema(columns);
  const got: unknown[][] = [];
  for (const g of groups) {
    const table = A.tableFromIPC(batchToIpc(schema, buildRecordBatch(schema, columns, g)));
    for (let i = 0; i < table.numRows; i++) got.push(columns.map((_, c) => table.getChildAt(c)!.get(i)));
  }
  const norm = (v: Coerced, kind: string): unknown => {
    if (v === null || v === FAIL) return null;
    if (kind === 'int64' || kind === 'timestamp') return kind === 'int64' ? BigInt(v as number | bigint) : Number(v) / 1000; // Arrow JS reads µs timestamps as ms
    if (kind === 'date') return (v as number) * 86_400_000;
    return v;
  };
  assert.deepEqual(got, rows.map((row) => row.map((v, c) => norm(v, columns[c]!.kind))));
});

test('string columns encode each value on its own: halves of a surrogate pair in adjacent values stay apart', () => {
  const columns = [{ name: 's', kind: 'string', source: 'data' }] as const;
  const values = ['x\uD83D', '\uDE00y', 'é', '\uD83D\uDE00', 'plain'];
  const buffers = new ColumnBuffers(columns, 8);
  for (const v of values) buffers.append([v]);
  const g = buffers.seal();
  const { data, offsets } = g.columns[0]!;
  const decoded = values.map((_, i) => Buffer.from(data.buffer, data.byteOffset + offsets![i]!, offsets![i + 1]! - offsets![i]!).toString('utf8'));
  assert.deepEqual(decoded, ['x\uFFFD', '\uFFFDy', 'é', '\uD83D\uDE00', 'plain']);
  assert.equal(offsets![values.length], data.byteLength);
  const schema = arrowSchema(columns);
  const table = A.tableFromIPC(batchToIpc(schema, buildRecordBatch(schema, columns, g)));
  assert.deepEqual(Array.from({ length: table.numRows }, (_, i) => table.getChildAt(0)!.get(i)), decoded);
});

test('column buffers grow from a small start to the row-group size and keep every value', () => {
  const columns = [{ name: 'n', kind: 'int64', source: 'data' }, { name: 'b', kind: 'boolean', source: 'data' }, { name: 'x', kind: 'double', source: 'data' }, { name: 'd', kind: 'date', source: 'data' }] as const;
  const buffers = new ColumnBuffers(columns, 300);
  for (let i = 0; i < 300; i++) buffers.append([i % 7 === 0 ? null : BigInt(i) * 10_000_000_000n, i % 3 === 0, i / 2, i - 150]);
  assert.ok(buffers.full);
  const schema = arrowSchema(columns);
  const table = A.tableFromIPC(batchToIpc(schema, buildRecordBatch(schema, columns, buffers.seal())));
  for (const i of [0, 1, 63, 64, 65, 127, 128, 255, 256, 299]) {
    assert.deepEqual(columns.map((_, c) => table.getChildAt(c)!.get(i)), [i % 7 === 0 ? null : BigInt(i) * 10_000_000_000n, i % 3 === 0, i / 2, (i - 150) * 86_400_000], `row ${i}`);
  }
});
