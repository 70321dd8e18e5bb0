// One memory budget across all streams: when open files (buffered rows plus encoder state) pass it,
// the largest are closed, so memory does not grow with the number of streams; nothing is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { filesToClose } from '../src/memory-budget.js';
import { configured, listFiles, lit, record, runWrite, sql, state, tempDir } from './helpers.js';

test('filesToClose: nothing within budget; else the largest first until back under half', () => {
  assert.deepEqual(filesToClose([{ key: 'a', bytes: 3 }, { key: 'b', bytes: 4 }], 10), []);
  assert.deepEqual(filesToClose([{ key: 'a', bytes: 3 }, { key: 'b', bytes: 6 }, { key: 'c', bytes: 2 }, { key: 'd', bytes: 1 }], 10), ['b', 'a']);
  assert.deepEqual(filesToClose([{ key: 'a', bytes: 5 }, { key: 'b', bytes: 5 }, { key: 'c', bytes: 5 }], 10), ['a', 'b']);
});

test('60 interleaved parquet streams under an 8 MB budget: files are closed early, every record and state lands', async () => {
  const dir = await tempDir();
  const names = Array.from({ length: 60 }, (_, i) => `s${i}`);
  const lines: string[] = [];
  for (let round = 0; round < 3; round++) {
    for (const n of names) lines.push(record(n, { id: `${n}-${round}`, round }));
    for (const n of names) lines.push(state(n, { round }));
  }
  const r = await runWrite({ store: { store_type: 'local', path: dir }, format: { format_type: 'parquet' } },
    { streams: names.map((n) => configured(n, { id: { type: 'string' }, round: { type: 'integer' } })) }, lines, { memoryBudgetBytes: 8 * 1024 * 1024 });
  assert.equal(r.code, 0, JSON.stringify(r.messages.filter((m) => m.type === 'TRACE')));
  assert.equal(r.messages.filter((m) => m.type === 'STATE').length, 180);
  const data = (await listFiles(dir)).filter((f) => !f.startsWith('_manifests/'));
  // Without a budget each stream keeps one file open for the whole sync: exactly 60 files.
  assert.ok(data.length > 60, `files: ${data.length}`);
  const rows = await sql(`SELECT count(*)::INT AS n, count(DISTINCT id)::INT AS ids FROM read_parquet([${data.map((f) => lit(join(dir, f))).join(',')}])`);
  assert.deepEqual(rows, [{ n: 180, ids: 180 }]);
});
