// The harness is as strict as CAT where CAT is strict: literal inputs for each rule, each of which the
// harness used to let through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfiguredAirbyteCatalog } from '@cio-dw/common';
import type { ConnectorRun } from '../../src/index.js';
import { isCatDateTime, nonIntegerLiterals, sharedPathProblem, strictIntegerProblems } from '../../src/record-rules.js';
import { expectedEchoes, HarnessContext, planWriteChecks, schemaProblems, streamStatusProblems, typeArrayProblems, withDiscoveredStreams } from '../../src/index.js';

test('type arrays: "null" must come second (CAT test_property_type_is_not_array)', () => {
  assert.deepEqual(typeArrayProblems({ type: ['string', 'null'] }), []);
  assert.deepEqual(typeArrayProblems({ type: ['null', 'string'] }), ['# has type ["null","string"]; only [T] or [T, "null"] ("null" second) is allowed']);
  assert.equal(typeArrayProblems({ type: ['null', 'null'] }).length, 1);
});

test('strict integers: 1.0 and 1e3 are not integers where the schema says integer', () => {
  const line = '{"type":"RECORD","record":{"stream":"s","data":{"n":1.0,"x":2.5,"ok":3,"list":[1,2e1],"o":{"m":4.0},"s":"5.0"},"emitted_at":1}}';
  const lits = nonIntegerLiterals(line);
  assert.deepEqual([...lits], [['/record/data/n', '1.0'], ['/record/data/x', '2.5'], ['/record/data/list/1', '2e1'], ['/record/data/o/m', '4.0']]);
  assert.deepEqual([...nonIntegerLiterals('{"a":{},"b":[],"c":{"d":[{},{"e":1.5}]}}')], [['/c/d/1/e', '1.5']]);
  const schema = { type: 'object', properties: { n: { type: ['integer', 'null'] }, x: { type: 'number' }, list: { type: 'array', items: { type: 'integer' } }, o: { type: 'object', properties: { m: { type: 'integer' } } } } };
  const rel = new Map([...lits].map(([p, v]) => [p.slice('/record/data'.length), v]));
  assert.deepEqual(strictIntegerProblems(schema, rel), [
    '/n is 1.0, not an integer (CAT checks integers strictly)',
    '/list/1 is 2e1, not an integer (CAT checks integers strictly)',
    '/o/m is 4.0, not an integer (CAT checks integers strictly)',
  ]);
});

test("CAT's date-time check: its regex and a real date", () => {
  for (const ok of ['2026-11-01T00:00:00Z', '2026-11-01 00:00:00', '2026-1-5T1:2:3.123+02:00', '2026-11-01T00:00:00.5-0500']) assert.ok(isCatDateTime(ok), ok);
  for (const bad of ['2026-11-01', '2026-02-31T00:00:00Z', '1 Nov 2026 00:00', '2026-11-01T25:00:00Z', 'yesterday']) assert.ok(!isCatDateTime(bad), bad);
});

test('record structure: records must share a field path with the schema', () => {
  const schema = { type: 'object', properties: { id: { type: 'string' }, o: { type: 'object', properties: { a: { type: 'integer' } } } } };
  assert.equal(sharedPathProblem('s', schema, [{ zzz: 1 }, { o2: { a: 1 } }]), 's: no record shares a field with the stream\'s schema (fields seen: zzz, o2, o2.a)');
  assert.equal(sharedPathProblem('s', schema, [{ zzz: 1 }, { o: { a: 1 } }]), undefined);
  assert.equal(sharedPathProblem('s', schema, []), undefined);
});

const catalog = (json_schema: Record<string, unknown>): ConfiguredAirbyteCatalog => ({
  streams: [{ stream: { name: 's', json_schema, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'append' }],
});

test('schemaProblems applies strict integers (from the raw line), CAT date-time and record structure', () => {
  const schema = { type: 'object', properties: { n: { type: 'integer' }, at: { type: 'string', format: 'date-time' } } };
  const raw = '{"type":"RECORD","record":{"stream":"s","data":{"n":1.0,"at":"2026-11-01 10:00:00"},"emitted_at":1}}';
  const rec = { stream: 's', data: { n: 1, at: '2026-11-01 10:00:00' }, emitted_at: 1 };
  assert.deepEqual(schemaProblems(catalog(schema), [rec], true, [raw]), ['record 1 (s): /n is 1.0, not an integer (CAT checks integers strictly)']);
  const badDate = { ...rec, data: { n: 1, at: '2026-13-01T00:00:00Z' } };
  assert.match(schemaProblems(catalog(schema), [badDate], true).join(), /does not match its schema: .*format "date-time"/);
  assert.match(schemaProblems(catalog({ type: 'object', properties: { id: { type: 'string' } } }), [{ stream: 's', data: { other: 1 }, emitted_at: 1 }], false).join(), /no record shares a field/);
});

test('configured catalogs read from files take the discovered stream definitions (as CAT)', () => {
  const file = catalog({ type: 'object', properties: { stale: { type: 'string' } } });
  const discovered = { streams: [{ name: 's', json_schema: { type: 'object', properties: { id: { type: 'integer' } } }, supported_sync_modes: ['incremental' as const] }] };
  const merged = withDiscoveredStreams(file, discovered, 'catalog.json');
  assert.deepEqual(merged.streams[0]!.stream, discovered.streams[0]);
  assert.equal(merged.streams[0]!.sync_mode, 'full_refresh');
  assert.throws(() => withDiscoveredStreams(file, { streams: [] }, 'catalog.json'), /catalog\.json: stream s is not in the discovered catalog/);
});

test('destination fixtures: expectedEchoes gives the sourceStats a STATE must carry', () => {
  const rec = { type: 'RECORD' as const, record: { stream: 's', data: {}, emitted_at: 0 } };
  const st = { type: 'STATE' as const, state: { type: 'STREAM' as const, stream: { stream_descriptor: { name: 's' } }, sourceStats: { recordCount: 1 } } };
  assert.deepEqual(expectedEchoes([rec, rec, st], catalog({})).map((e) => [e.recordCount, e.state.sourceStats?.recordCount]), [[2, 1]]);
});

test('stream statuses: a stream with records needs RUNNING between STARTED and COMPLETE', () => {
  const status = (s: string) => ({ type: 'TRACE' as const, trace: { type: 'STREAM_STATUS' as const, emitted_at: 1, stream_status: { stream_descriptor: { name: 's' }, status: s } } });
  const rec = { type: 'RECORD' as const, record: { stream: 's', data: {}, emitted_at: 1 } };
  const run = (messages: unknown[]) => ({ messages, stdout: '' }) as unknown as ConnectorRun;
  assert.deepEqual(streamStatusProblems(catalog({}), run([status('STARTED'), status('COMPLETE')])), []);
  assert.match(streamStatusProblems(catalog({}), run([status('STARTED'), rec, status('COMPLETE')])).join(), /s: statuses were \[STARTED, COMPLETE\].*at least one RUNNING/);
  assert.deepEqual(streamStatusProblems(catalog({}), run([status('STARTED'), status('RUNNING'), rec, status('COMPLETE')])), []);
});

test('a destination fixture whose STATE sourceStats do not count its records fails the input check', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cat-fixture-'));
  const messages = join(dir, 'messages.jsonl');
  const rec = '{"type":"RECORD","record":{"stream":"users","data":{"id":1},"emitted_at":1}}';
  const st = (n: number) => `{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"users"},"stream_state":{"t":1}},"sourceStats":{"recordCount":${n}}}}`;
  const ctx = new HarnessContext(fileURLToPath(new URL('../fixtures/example-destination/', import.meta.url)));
  try {
    const checkOf = (text: string) => {
      writeFileSync(messages, text);
      const c = planWriteChecks(ctx, [{ name: 'fixture', messages, catalog: 'integration_tests/configured_catalog.json', config: () => ({}), readBack: async () => ({}) }])[0]!;
      assert.match(c.name, /sourceStats\.recordCount = records since the previous state/);
      return c.run();
    };
    assert.equal((await checkOf([rec, rec, st(2)].join('\n'))).ok, true);
    const bad = await checkOf([rec, rec, st(1)].join('\n'));
    assert.equal(bad.ok, false);
    assert.match(bad.reason ?? '', /STATE 1 says sourceStats\.recordCount 1, but 2 record\(s\)/);
  } finally {
    ctx.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
