// Writes every format through the real CLI runner to a local folder and reads each file back with DuckDB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configured, describe, listFiles, lit, record, runWrite, sql, state, tempDir } from './helpers.js';

const props = {
  id: { type: 'string' }, n: { type: 'integer' }, x: { type: ['null', 'number'] }, ok: { type: 'boolean' },
  ts: { type: 'string', format: 'date-time' }, day: { type: 'string', format: 'date' }, attrs: { type: 'object' },
  subject: { type: 'string' },
};
const N = 2_500;
const rows = Array.from({ length: N }, (_, i) => ({
  id: `id-${i}`, n: i * 1000 + 7, x: i % 10 === 0 ? null : i / 4, ok: i % 3 === 0,
  ts: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(), day: '2024-02-29',
  attrs: { tags: ['a', `t${i % 5}`], nested: { q: 'say "hi", ok?' } },
  subject: i % 7 === 0 ? 'multi\nline, "quoted" ✉️' : i % 11 === 0 ? '' : `subject ${i}`,
}));
// one record with values that do not fit their columns
const bad = { id: 'bad', n: 'not a number', x: 'NaN?', ok: 'maybe', ts: 'yesterday', day: '2024-13-01', attrs: null, subject: 5 };

function input(stream: string): string[] {
  const lines: string[] = [];
  rows.forEach((r, i) => { lines.push(record(stream, r, 1_700_000_000_000 + i)); if (i % 500 === 499) lines.push(state(stream, { i })); });
  lines.push(record(stream, bad, 1_700_000_009_999));
  lines.push(state(stream, { i: 'end' }));
  return lines;
}

const cases = [
  { format: { format_type: 'parquet', compression: 'zstd', row_group_rows: 1000 }, reader: (f: string) => `read_parquet(${lit(f)})` },
  { format: { format_type: 'parquet', compression: 'snappy' }, reader: (f: string) => `read_parquet(${lit(f)})` },
  { format: { format_type: 'parquet', compression: 'gzip' }, reader: (f: string) => `read_parquet(${lit(f)})` },
  { format: { format_type: 'parquet', compression: 'none' }, reader: (f: string) => `read_parquet(${lit(f)})` },
  ...(['none', 'gzip', 'zstd'] as const).flatMap((c) => [
    { format: { format_type: 'csv', compression: c }, reader: (f: string) => `read_csv(${lit(f)}, header=true, allow_quoted_nulls=false, compression=${lit(c === 'none' ? 'none' : c === 'gzip' ? 'gzip' : 'zstd')}, columns={'id':'VARCHAR','n':'BIGINT','x':'DOUBLE','ok':'BOOLEAN','ts':'TIMESTAMPTZ','day':'DATE','attrs':'VARCHAR','subject':'VARCHAR','_airbyte_raw_id':'VARCHAR','_airbyte_extracted_at':'TIMESTAMPTZ','_airbyte_generation_id':'BIGINT','_airbyte_meta':'VARCHAR','_airbyte_unfit_values':'VARCHAR'})` },
    { format: { format_type: 'jsonl', compression: c }, reader: (f: string) => `read_json(${lit(f)}, format='newline_delimited', compression=${lit(c === 'none' ? 'uncompressed' : c)}, columns={'id':'VARCHAR','n':'BIGINT','x':'DOUBLE','ok':'BOOLEAN','ts':'TIMESTAMPTZ','day':'DATE','attrs':'JSON','subject':'VARCHAR','_airbyte_raw_id':'UUID','_airbyte_extracted_at':'TIMESTAMPTZ','_airbyte_generation_id':'BIGINT','_airbyte_meta':'JSON','_airbyte_unfit_values':'JSON'})` },
  ]),
];

for (const c of cases) {
  test(`${c.format.format_type}/${c.format.compression}: every value and type reads back in DuckDB`, async () => {
    const dir = await tempDir();
    const { code, messages } = await runWrite({ store: { store_type: 'local', path: dir }, format: c.format as never },
      { streams: [configured('deliveries', props)] }, input('deliveries'));
    assert.equal(code, 0, JSON.stringify(messages.filter((m) => m.type === 'TRACE')));
    const states = messages.filter((m) => m.type === 'STATE');
    assert.equal(states.length, 6);
    assert.deepEqual(states.map((s) => s.state.destinationStats.recordCount), [500, 500, 500, 500, 500, 1]);
    const files = (await listFiles(dir)).filter((f) => !f.startsWith('_manifests/'));
    assert.equal(files.length, 1, files.join());
    const ext = c.format.format_type === 'parquet' ? '.parquet' : `.${c.format.format_type}${c.format.compression === 'gzip' ? '.gz' : c.format.compression === 'zstd' ? '.zst' : ''}`;
    assert.ok(files[0]!.startsWith('deliveries/') && files[0]!.endsWith(ext), files[0]);
    const src = c.reader(join(dir, files[0]!));

    const types = await describe(`SELECT * FROM ${src}`);
    assert.deepEqual(Object.keys(types), [...Object.keys(props), '_airbyte_raw_id', '_airbyte_extracted_at', '_airbyte_generation_id', '_airbyte_meta', '_airbyte_unfit_values']);
    if (c.format.format_type === 'parquet') {
      assert.deepEqual(types, {
        id: 'VARCHAR', n: 'BIGINT', x: 'DOUBLE', ok: 'BOOLEAN', ts: 'TIMESTAMP WITH TIME ZONE', day: 'DATE', attrs: 'VARCHAR', subject: 'VARCHAR',
        _airbyte_raw_id: 'VARCHAR', _airbyte_extracted_at: 'TIMESTAMP WITH TIME ZONE', _airbyte_generation_id: 'BIGINT', _airbyte_meta: 'VARCHAR',
        _airbyte_unfit_values: 'VARCHAR',
      });
      if (c.format.compression === 'zstd') {
        const meta = await sql(`SELECT count(DISTINCT row_group_id)::INT AS groups, min(compression) AS codec FROM parquet_metadata(${lit(join(dir, files[0]!))})`);
        assert.deepEqual(meta, [{ groups: 3, codec: 'ZSTD' }]);
      }
    }
    const got = await sql(`SELECT id, n, x, ok, epoch_us(ts) AS ts_us, day::VARCHAR AS day, attrs::VARCHAR AS attrs, subject,
      _airbyte_raw_id::VARCHAR AS raw_id, epoch_ms(_airbyte_extracted_at) AS ext_ms, _airbyte_generation_id AS gen, _airbyte_meta::VARCHAR AS meta, _airbyte_unfit_values::VARCHAR AS unfit FROM ${src}`);
    assert.equal(got.length, N + 1);
    for (let i = 0; i < N; i++) {
      const g = got[i]!; const r = rows[i]!;
      assert.deepEqual(
        [g.id, Number(g.n), g.x, g.ok, Number(g.ts_us), g.day, JSON.parse(g.attrs as string), g.subject, Number(g.ext_ms), Number(g.gen)],
        [r.id, r.n, r.x, r.ok, Date.parse(r.ts) * 1000, r.day, r.attrs, r.subject, 1_700_000_000_000 + i, 1],
        `row ${i}`);
      assert.match(g.raw_id as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.deepEqual(JSON.parse(g.meta as string), { sync_id: 7, changes: [] });
      assert.equal(g.unfit, null);
    }
    assert.equal(new Set(got.map((g) => g.raw_id)).size, N + 1);
    const b = got[N]!;
    assert.deepEqual([b.id, b.n, b.x, b.ok, b.ts_us, b.day, b.attrs, b.subject], ['bad', null, null, null, null, null, null, '5']);
    assert.deepEqual(JSON.parse(b.meta as string).changes.map((x: { field: string }) => x.field), ['n', 'x', 'ok', 'ts', 'day']);
    // The refused values are kept as sent.
    assert.deepEqual(JSON.parse(b.unfit as string), { n: 'not a number', x: 'NaN?', ok: 'maybe', ts: 'yesterday', day: '2024-13-01' });

    // manifests: one per flush batch plus the final one; they list exactly the data files
    const manifests = (await listFiles(dir)).filter((f) => f.startsWith('_manifests/'));
    assert.equal(manifests.length, 2);
    const [m1, m2] = await Promise.all(manifests.map(async (m) => JSON.parse(await readFile(join(dir, m), 'utf8'))));
    assert.deepEqual(m1.files.map((f: { key: string; rows: number }) => [f.key, f.rows]), [[files[0], N + 1]]);
    assert.equal(m1.final, false);
    assert.equal(m2.final, true);
    assert.deepEqual(m2.streams.map((s: { stream: string; rows: number }) => [s.stream, s.rows]), [['deliveries', N + 1]]);
  });
}
