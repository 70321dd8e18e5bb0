// Inputs that used to block a sync: a 100 MB line (kept as a row with the big field nulled, streamed
// past, never held whole), 6,000-deep nesting (written intact), and an emitted_at of 1e17 (a clear
// error naming the line).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runDestinationCli } from '@cio-dw/common';
import { createDestination } from '../src/destination.js';
import { configured, listFiles, lit, record, runWrite, sql, state, tempDir, type Msg } from './helpers.js';

const props = { id: { type: 'string' }, blob: { type: 'string' }, tree: { type: 'array' } };

test('a 100 MB line keeps its row with the oversize field nulled and recorded; the sync goes on', async () => {
  const dir = await tempDir();
  const args = await tempDir('dbk-args-');
  await writeFile(join(args, 'config.json'), JSON.stringify({ store: { store_type: 'local', path: dir }, format: { format_type: 'jsonl', compression: 'none' } }));
  await writeFile(join(args, 'catalog.json'), JSON.stringify({ streams: [configured('s', props)] }));
  const piece = Buffer.alloc(1 << 20, 'x');
  async function* input(): AsyncGenerator<Buffer> {
    yield Buffer.from(`${record('s', { id: 'before' })}\n{"type":"RECORD","record":{"stream":"s","emitted_at":1700000000000,"data":{"id":"huge","blob":"`);
    for (let i = 0; i < 100; i++) yield piece;
    yield Buffer.from(`"}}}\n${record('s', { id: 'after' })}\n${state('s', { done: 1 })}\n`);
  }
  let out = '';
  const code = await runDestinationCli(createDestination(), ['write', '--config', join(args, 'config.json'), '--catalog', join(args, 'catalog.json')],
    { stdin: Readable.from(input()), stdout: new Writable({ write(c, _e, cb) { out += c.toString(); cb(); } }) });
  const messages = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Msg);
  assert.equal(code, 0, JSON.stringify(messages.filter((m) => m.type === 'TRACE')));
  assert.equal(messages.filter((m) => m.type === 'STATE').length, 1);
  const f = (await listFiles(dir)).find((x) => x.startsWith('s/'))!;
  const rows = await sql(`SELECT id, blob IS NULL AS nulled, _airbyte_meta::VARCHAR AS meta FROM read_json(${lit(join(dir, f))}, format='newline_delimited', columns={'id':'VARCHAR','blob':'VARCHAR','_airbyte_meta':'JSON'}) ORDER BY id`);
  assert.deepEqual(rows.map((r) => [r.id, r.nulled]), [['after', true], ['before', true], ['huge', true]]);
  assert.deepEqual(JSON.parse(rows[2]!.meta as string).changes, [{ field: 'blob', change: 'NULLED', reason: 'DESTINATION_RECORD_SIZE_LIMITATION' }]);
});

test('6,000-deep nesting is written intact; emitted_at 1e17 is a clear error naming its line', async () => {
  const deep = `${'['.repeat(6000)}1${']'.repeat(6000)}`;
  const line = `{"type":"RECORD","record":{"stream":"s","emitted_at":1700000000000,"data":{"id":"deep","tree":${deep}}}}`;
  const dir = await tempDir();
  const cfg = { store: { store_type: 'local' as const, path: dir }, format: { format_type: 'jsonl' as const, compression: 'none' as const } };
  const ok = await runWrite(cfg, { streams: [configured('s', props)] }, [line, state('s', 1)]);
  assert.equal(ok.code, 0, JSON.stringify(ok.messages.filter((m) => m.type === 'TRACE')));
  const f = (await listFiles(dir)).find((x) => x.startsWith('s/'))!;
  const [row] = await sql(`SELECT length(tree::VARCHAR)::INT AS n FROM read_json(${lit(join(dir, f))}, format='newline_delimited', columns={'id':'VARCHAR','tree':'VARCHAR'}, maximum_depth=1)`);
  assert.equal(row!.n, deep.length);

  const bad = await runWrite({ ...cfg, store: { store_type: 'local', path: await tempDir() } }, { streams: [configured('s', props)] },
    [record('s', { id: 'a' }), state('s', 1), record('s', { id: 'b' }, 1e17)]);
  assert.equal(bad.code, 1);
  const trace = bad.messages.find((m) => m.type === 'TRACE')!.trace.error;
  assert.match(trace.message, /input line 3 is a RECORD whose emitted_at \(100000000000000000\) is not a time in years 0001–9999/);
  assert.equal(bad.messages.filter((m) => m.type === 'STATE').length, 1);
});

test('parquet: 6,000-deep nesting and far-future emitted_at within range are written', async () => {
  const deep = `${'{"a":'.repeat(6000)}1${'}'.repeat(6000)}`;
  const dir = await tempDir();
  const r = await runWrite({ store: { store_type: 'local', path: dir }, format: { format_type: 'parquet' } }, { streams: [configured('s', props)] },
    [`{"type":"RECORD","record":{"stream":"s","emitted_at":253402300799999,"data":{"id":"deep","tree":${deep}}}}`, state('s', 1)]);
  assert.equal(r.code, 0, JSON.stringify(r.messages.filter((m) => m.type === 'TRACE')));
  const f = (await listFiles(dir)).find((x) => x.startsWith('s/'))!;
  const [row] = await sql(`SELECT length(tree)::INT AS n, epoch_ms(_airbyte_extracted_at)::VARCHAR AS at FROM read_parquet(${lit(join(dir, f))})`);
  assert.deepEqual(row, { n: deep.length, at: '253402300799999' });
});
