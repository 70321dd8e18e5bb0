// The Parquet fast path (Sink.writeRaw): RECORD lines are parsed, validated and coerced in a worker.
// Its output must equal the parsing path's, row for row, and bad lines must fail the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { runDestinationCli } from '@cio-dw/common';
import { createDestination } from '../src/destination.js';
import { rowsFromRaw } from '../src/formats/raw-rows.js';
import { layoutFor } from '../src/formats/columns.js';
import { configured, listFiles, lit, record, sql, state, tempDir, type Msg } from './helpers.js';
import { writeFile } from 'node:fs/promises';

const props = {
  id: { type: 'string' }, n: { type: 'integer' }, x: { type: ['null', 'number'] }, ts: { type: 'string', format: 'date-time' },
  attrs: { type: 'object' }, subject: { type: 'string' },
};

async function run(lines: string[], raw: boolean, flushRows = 7): Promise<{ code: number; messages: Msg[]; dir: string; rawLines: number }> {
  const dir = await tempDir('dbk-raw-');
  const d = createDestination();
  let rawLines = 0;
  const open = d.open.bind(d);
  d.open = async (...a) => {
    const s = await open(...a);
    const w = s.writeRaw?.bind(s);
    Object.defineProperty(s, 'writeRaw', { value: raw && w ? (...args: Parameters<typeof w>) => { rawLines++; return w(...args); } : undefined });
    return s;
  };
  const cfg = join(dir, 'config.json'); const cat = join(dir, 'catalog.json');
  await writeFile(cfg, JSON.stringify({ store: { store_type: 'local', path: join(dir, 'out') }, format: { format_type: 'parquet', compression: 'zstd', row_group_rows: 1000 }, flush_rows: flushRows }));
  await writeFile(cat, JSON.stringify({ streams: [configured('a', props), configured('b', props), configured('b', props, { stream: { name: 'b', namespace: 'ns', json_schema: { type: 'object', properties: props }, supported_sync_modes: ['incremental'] } })] }));
  let out = '';
  const stdout = new Writable({ write(chunk, _e, cb) { out += chunk.toString(); cb(); } });
  const code = await runDestinationCli(d, ['write', '--config', cfg, '--catalog', cat], { stdout, stdin: Readable.from(lines.map((l) => `${l}\n`)) });
  return { code, messages: out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Msg), dir: join(dir, 'out'), rawLines };
}

/** Per stream: each file's rows (in file order), the files sorted by content. */
async function rows(dir: string): Promise<Record<string, string[][]>> {
  const out: Record<string, string[][]> = {};
  for (const f of (await listFiles(dir)).filter((x) => x.endsWith('.parquet'))) {
    const stream = f.split('/').slice(0, -4).join('/'); // <namespace/>stream/yyyy/mm/dd/file
    const rs = await sql(`SELECT * EXCLUDE (_airbyte_raw_id), _airbyte_raw_id IS NOT NULL AS has_id FROM read_parquet(${lit(join(dir, f))})`);
    (out[stream] ??= []).push(rs.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))));
  }
  for (const k of Object.keys(out)) out[k]!.sort((a, b) => (a.join() < b.join() ? -1 : 1));
  return out;
}

test('raw path: same rows, order, types and meta changes as the parsing path, with fallback lines mixed in', async () => {
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    const data = { id: `r${i}`, n: i % 9 === 0 ? 'NaN' : i * 3, x: i % 4 ? i / 8 : null, ts: new Date(Date.UTC(2024, 1, 1, 0, 0, i)).toISOString(), attrs: { k: [i, 'é✉️'] }, subject: i % 5 ? `s ${i} 👋` : 'plain' };
    if (i % 6 === 5) lines.push(JSON.stringify({ record: { data, stream: 'a', emitted_at: 1_700_000_000_000 + i }, type: 'RECORD' })); // other key order: parsed on the main thread
    else lines.push(record('a', data, 1_700_000_000_000 + i));
    if (i % 3 === 0) lines.push(record('b', { ...data, id: `b${i}` }));
    if (i % 10 === 0) lines.push(record('b', { ...data, id: `nsb${i}` }, 1_700_000_000_000, 'ns'));
    if (i % 8 === 7) lines.push(state('a', { i }), '');
  }
  lines.push(JSON.stringify({ type: 'RECORD', record: { stream: 'a', data: { id: 'meta' }, emitted_at: 5, meta: { changes: [{ field: 'x', change: 'TRUNCATED', reason: 'SOURCE_RECORD_SIZE_LIMITATION' }] } } }));
  lines.push(state('a', { i: 'end' }));
  const fast = await run(lines, true);
  const slow = await run(lines, false);
  assert.equal(fast.code, 0, JSON.stringify(fast.messages));
  assert.equal(slow.code, 0);
  assert.equal(fast.rawLines, 40 - 6 + 14 + 1, 'prefixed lines without a namespace took the raw path');
  assert.equal(slow.rawLines, 0);
  const states = (r: typeof fast) => r.messages.filter((m) => m.type === 'STATE').map((m) => [m.state.stream.stream_state.i, m.state.destinationStats.recordCount]);
  assert.deepEqual(states(fast), states(slow));
  assert.equal(states(fast).length, 6);
  const [rf, rs] = [await rows(fast.dir), await rows(slow.dir)];
  assert.deepEqual(Object.keys(rf).sort(), ['a', 'b', 'ns/b'].sort());
  assert.deepEqual(rf, rs);
  const all = rf.a!.flat();
  assert.equal(all.length, 41);
  assert.equal(rf.a!.length, 6); // files of 7 rows
  assert.match(all.find((r) => r.includes('"r9"'))!, /DESTINATION_TYPECAST_ERROR/);
  assert.match(all.find((r) => r.includes('"meta"'))!, /SOURCE_RECORD_SIZE_LIMITATION/);
});

test('raw path: an invalid RECORD line fails the sync naming its line number; no later state is echoed', async () => {
  const lines = [record('a', { id: '1' }), state('a', 1), record('a', { id: '2' }), '{"type":"RECORD","record":{"stream":"a","data":{"id": secret garbage', record('a', { id: '3' }), state('a', 2)];
  for (const raw of [true, false]) {
    const r = await run(lines, raw, 1);
    assert.notEqual(r.code, 0);
    const trace = r.messages.find((m) => m.type === 'TRACE');
    assert.match(trace!.trace.error.message, /input line 4 is not valid JSON/, `raw=${raw}`);
    assert.doesNotMatch(JSON.stringify(r.messages), /secret/);
    assert.ok(!r.messages.some((m) => m.type === 'STATE' && m.state.stream.stream_state === 2), `raw=${raw}`);
  }
});

test('raw path: a RECORD whose later keys contradict its prefix is refused, not misrouted', async () => {
  const r = await run([record('a', { id: '1' }), '{"type":"RECORD","record":{"stream":"a","data":{"id":"2"},"emitted_at":1,"stream":"b"}}', state('a', 1)], true);
  assert.notEqual(r.code, 0);
  assert.match(r.messages.find((m) => m.type === 'TRACE')!.trace.error.message, /input line 2 repeats a key/);
  assert.ok(!r.messages.some((m) => m.type === 'STATE'));
});

test('rowsFromRaw: nulls the largest fields of an oversize record and counts typecast errors', () => {
  const layout = layoutFor({ type: 'object', properties: props }, true);
  const big = 'x'.repeat(500);
  const text = [record('a', { id: 'small', n: 1 }), record('a', { id: 'big', subject: big, n: 'bad' })].join('\n') + '\n';
  const r = rowsFromRaw({ columns: layout.columns, key: 'a', generationId: 1, syncId: 7, maxRecordBytes: 300, bytes: Buffer.from(text), numbers: Float64Array.from([10, 11]) });
  assert.equal(r.group.rows, 2);
  assert.equal(r.typecastErrors, 1);
  const meta = r.group.columns.at(-1)!;
  const metaText = Buffer.from(meta.data.buffer, meta.data.byteOffset, meta.data.byteLength).toString('utf8');
  assert.match(metaText, /"field":"subject","change":"NULLED","reason":"DESTINATION_RECORD_SIZE_LIMITATION"/);
  assert.match(metaText, /"field":"n","change":"NULLED","reason":"DESTINATION_TYPECAST_ERROR"/);
  assert.throws(() => rowsFromRaw({ columns: layout.columns, key: 'b', generationId: 1, syncId: 7, maxRecordBytes: 300, bytes: Buffer.from(text), numbers: Float64Array.from([10, 11]) }), /input line 10 repeats a key/);
});
