// Values that used to change silently land exactly in every format (read back with DuckDB):
// integers beyond 2^53, INT64 limits, years 0001–0099, properties named like Object.prototype members,
// and text with lone surrogates (U+FFFD plus an _airbyte_meta change, never an unreadable file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { configured, listFiles, lit, runWrite, sql, state, tempDir } from './helpers.js';

const props = {
  id: { type: 'string' }, n: { type: 'integer' }, x: { type: 'number' }, ts: { type: 'string', format: 'date-time' },
  day: { type: 'string', format: 'date' }, attrs: { type: 'object' }, s: { type: 'string' },
  ['__proto__']: { type: 'string' }, constructor: { type: 'integer' },
};
// Built as text: JSON.stringify cannot write these integers, and `__proto__` must stay an own key.
const line = (fields: string, emittedAt = 1_700_000_000_000): string =>
  `{"type":"RECORD","record":{"stream":"exact","emitted_at":${emittedAt},"data":{${fields}}}}`;
const input = [
  line('"id":"a","n":9007199254740993,"attrs":{"big":123456789012345678901234567890,"x":9007199254740993},"ts":"0001-01-01T00:00:00.000001Z","day":"0001-01-01","__proto__":"p","constructor":7,"s":"ok"'),
  line('"id":"b","n":9223372036854775807,"ts":"0099-12-31T23:59:59.5+01:00","day":"0050-06-15","s":"half \\ud83d"'),
  line('"id":"c","n":-9223372036854775808,"s":"\\ude00 other half","attrs":{"k\\udfff":"v\\ud800"}'),
  line('"id":"d","n":9223372036854775808,"ts":"2024-01-02T03:04:05.678901Z"'),
  line('"id":"e","n":9007199254740995,"s":"bad \\udc00","attrs":{"q":18014398509481985,"t":"\\ud800"}'),
  line('"id":"f","n":"-123456789012345678901234567890","constructor":"seven","ts":"not a time"'),
  line('"id":"g","n":-1E+400,"x":1e400,"attrs":{"huge":[1.5e999]},"s":"fine"'),
  state('exact', { done: true }),
];

type Row = Record<string, unknown>;
const expected = (r: Row[]): void => {
  const by = Object.fromEntries(r.map((x) => [x.id, x]));
  assert.equal(by.a!.n, '9007199254740993');
  assert.equal(by.b!.n, '9223372036854775807');
  assert.equal(by.c!.n, '-9223372036854775808');
  assert.equal(by.d!.n, null, 'beyond INT64: NULL in the BIGINT column');
  assert.deepEqual(JSON.parse(by.d!.meta as string).changes, [{ field: 'n', change: 'NULLED', reason: 'DESTINATION_FIELD_SIZE_LIMITATION' }]);
  // … and every digit in _airbyte_unfit_values, with whatever else did not fit its column.
  assert.equal(by.d!.unfit_n, '9223372036854775808');
  assert.equal(by.f!.n, null);
  assert.equal(by.f!.unfit_n, '"-123456789012345678901234567890"');
  assert.match(by.f!.unfit as string, /"constructor":\s*"seven"/);
  assert.match(by.f!.unfit as string, /"ts":\s*"not a time"/);
  assert.deepEqual(JSON.parse(by.f!.meta as string).changes.map((c: Row) => [c.field, c.reason]),
    [['n', 'DESTINATION_FIELD_SIZE_LIMITATION'], ['ts', 'DESTINATION_TYPECAST_ERROR'], ['constructor', 'DESTINATION_TYPECAST_ERROR']]);
  for (const id of ['a', 'b', 'c', 'e']) assert.equal(by[id]!.unfit, null, `row ${id}: every value fit`);
  // Literals beyond the range of a double keep their text (JSON.parse makes them Infinity, written as null).
  assert.equal(by.g!.unfit_n, '-1E+400');
  assert.match(by.g!.unfit as string, /"x":\s*1e400\b/);
  assert.match(by.g!.attrs as string, /"huge":\s*\[1\.5e999\]/);
  assert.deepEqual(JSON.parse(by.g!.meta as string).changes.map((c: Row) => [c.field, c.reason]),
    [['n', 'DESTINATION_FIELD_SIZE_LIMITATION'], ['x', 'DESTINATION_FIELD_SIZE_LIMITATION']]);
  assert.match(by.a!.attrs as string, /"big":\s*123456789012345678901234567890\b/);
  assert.match(by.a!.attrs as string, /"x":\s*9007199254740993\b/);
  assert.equal(by.a!.us, '-62135596799999999');
  assert.equal(by.a!.day, '0001-01-01');
  assert.equal(by.b!.us, '-59011462800500000');
  assert.equal(by.b!.day, '0050-06-15');
  assert.equal(by.d!.us, '1704164645678901');
  assert.equal(by.a!.proto, 'p');
  assert.equal(by.a!.ctor, '7');
  assert.equal(by.b!.proto, null, 'an absent __proto__ is NULL, not "{}"');
  assert.equal(by.b!.ctor, null, 'an absent constructor is NULL');
  assert.deepEqual(JSON.parse(by.b!.meta as string).changes, [{ field: 's', change: 'TRUNCATED', reason: 'DESTINATION_SERIALIZATION_ERROR' }]);
  assert.equal(by.b!.s, 'half \uFFFD');
  assert.equal(by.c!.s, '\uFFFD other half');
  assert.deepEqual(JSON.parse(by.c!.attrs as string), { 'k\uFFFD': 'v\uFFFD' });
  assert.deepEqual(JSON.parse(by.c!.meta as string).changes.map((c: Row) => c.field).sort(), ['attrs', 's']);
  assert.equal(JSON.parse(by.a!.meta as string).changes.length, 0);
  // Both at once: the exact re-read keeps the cleaned text.
  assert.equal(by.e!.n, '9007199254740995');
  assert.equal(by.e!.s, 'bad \uFFFD');
  assert.match(by.e!.attrs as string, /"q":\s*18014398509481985\b/);
  assert.match(by.e!.attrs as string, /"t":\s*"\uFFFD"/);
};

const select = (src: string): string => `SELECT id, n::VARCHAR AS n, attrs::VARCHAR AS attrs, epoch_us(ts)::VARCHAR AS us, day::VARCHAR AS day,
  s, "__proto__" AS proto, "constructor"::VARCHAR AS ctor, _airbyte_meta::VARCHAR AS meta,
  _airbyte_unfit_values::VARCHAR AS unfit, json_extract(_airbyte_unfit_values::JSON, '$.n')::VARCHAR AS unfit_n FROM ${src} ORDER BY id`;
const cols = `{'id':'VARCHAR','n':'BIGINT','x':'DOUBLE','ts':'TIMESTAMPTZ','day':'DATE','attrs':'JSON','s':'VARCHAR','__proto__':'VARCHAR','constructor':'BIGINT','_airbyte_raw_id':'VARCHAR','_airbyte_extracted_at':'TIMESTAMPTZ','_airbyte_generation_id':'BIGINT','_airbyte_meta':'JSON','_airbyte_unfit_values':'JSON'}`;
const formats = {
  parquet: (f: string) => `read_parquet(${lit(f)})`,
  csv: (f: string) => `read_csv(${lit(f)}, header=true, allow_quoted_nulls=false, columns=${cols.replace(/'JSON'/g, "'VARCHAR'")})`,
  jsonl: (f: string) => `read_json(${lit(f)}, format='newline_delimited', columns=${cols})`,
} as const;

for (const [format, reader] of Object.entries(formats)) {
  test(`${format}: integers beyond 2^53, INT64 limits, years 0001–0099, __proto__/constructor and lone surrogates land exactly`, async () => {
    const dir = await tempDir();
    const r = await runWrite({ store: { store_type: 'local', path: dir }, format: { format_type: format as 'csv', compression: 'none' } },
      { streams: [configured('exact', props)] }, input);
    assert.equal(r.code, 0, JSON.stringify(r.messages.filter((m) => m.type === 'TRACE')));
    const files = (await listFiles(dir)).filter((f) => f.startsWith('exact/'));
    assert.equal(files.length, 1);
    expected(await sql(select(reader(join(dir, files[0]!)))));
  });
}

test('a stream without declared properties keeps big integers exact in _airbyte_data (jsonl and parquet)', async () => {
  for (const format of ['jsonl', 'parquet'] as const) {
    const dir = await tempDir();
    const r = await runWrite({ store: { store_type: 'local', path: dir }, format: { format_type: format, compression: 'none' } },
      { streams: [configured('exact', {})] }, [line('"id":"a","n":9007199254740993,"deep":{"m":-9223372036854775809}')]);
    assert.equal(r.code, 0);
    const f = join(dir, (await listFiles(dir)).find((x) => x.startsWith('exact/'))!);
    const src = format === 'jsonl' ? `read_json(${lit(f)}, format='newline_delimited', columns={'_airbyte_data':'JSON'})` : `read_parquet(${lit(f)})`;
    const [row] = await sql(`SELECT _airbyte_data::VARCHAR AS d FROM ${src}`);
    assert.match(row!.d as string, /"n":\s*9007199254740993\b/);
    assert.match(row!.d as string, /"m":\s*-9223372036854775809\b/);
  }
});

test('a STATE is echoed with every digit of its integers (a cursor beyond 2^53 goes back to the source exactly)', async () => {
  const dir = await tempDir();
  const stateLine = '{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"exact"},' +
    '"stream_state":{"cursor":9007199254740993,"deep":{"x":-9223372036854775809,"list":[123456789012345678901234567890]}}}}}';
  const r = await runWrite({ store: { store_type: 'local', path: dir }, format: { format_type: 'jsonl', compression: 'none' } },
    { streams: [configured('exact', props)] }, [line('"id":"a","n":1'), stateLine]);
  assert.equal(r.code, 0, JSON.stringify(r.messages.filter((m) => m.type === 'TRACE')));
  const echoed = r.stdout.split('\n').find((l) => l.startsWith('{"type":"STATE"'));
  assert.ok(echoed, 'the state was echoed');
  assert.match(echoed, /"stream_state":\{"cursor":9007199254740993,"deep":\{"x":-9223372036854775809,"list":\[123456789012345678901234567890\]\}\}/);
  assert.match(echoed, /"destinationStats":\{"recordCount":1\}/);
});
