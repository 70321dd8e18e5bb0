// CAT TestBasicRead and TestFullRefresh equivalents.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { ValidateFunction } from 'ajv';
import { describeAjvErrors, newAjv } from '@cio-dw/common';
import { streamKey } from '@cio-dw/common';
import type { AirbyteRecordMessage, ConfiguredAirbyteCatalog, ConfiguredAirbyteStream } from '@cio-dw/common';
import type { BasicReadTest } from './acceptance-config.js';
import { sectionTests } from './acceptance-config.js';
import { configuredCatalog } from './discovery-checks.js';
import type { AcceptanceCheck, HarnessContext } from './harness-context.js';
import { check, describeRun } from './harness-context.js';
import type { ConnectorRun } from './run-connector.js';
import { ofType } from './run-connector.js';
import { isCatDateTime, nonIntegerLiterals, sharedPathProblem, strictIntegerProblems } from './record-rules.js';

export const UNKNOWN_STREAM = '__AIRBYTE__stream_that_does_not_exist';

export function recordsOf(run: ConnectorRun): AirbyteRecordMessage[] {
  return ofType(run.messages, 'RECORD').map((m) => m.record);
}

/** The raw stdout lines of the RECORD messages, aligned with recordsOf (for literal-level checks). */
export function recordLines(run: ConnectorRun): string[] {
  return run.stdout.split('\n').filter((l) => {
    if (!l.includes('"RECORD"')) return false;
    try {
      const m = JSON.parse(l) as { type?: unknown; record?: unknown };
      return m.type === 'RECORD' && typeof m.record === 'object' && m.record !== null;
    } catch { return false; }
  });
}
const keyOf = (r: { stream: string; namespace?: string }) => streamKey({ name: r.stream, ...(r.namespace ? { namespace: r.namespace } : {}) });

export function planBasicReadChecks(ctx: HarnessContext): AcceptanceCheck[] {
  const tests = sectionTests(ctx.config.acceptance_tests.basic_read);
  const high = ctx.config.test_strictness_level === 'high';
  return tests.flatMap((t, i) => {
    const label = tests.length > 1 ? `basic_read[${i}]` : 'basic_read';
    const configPath = ctx.configPath(t.config_path);
    const timeoutMs = (t.timeout_seconds ?? 600) * 1000;
    let catalogP: Promise<ConfiguredAirbyteCatalog> | undefined;
    // At high strictness CAT reads the discovered catalog (a configured_catalog_path is reported below).
    const catalog = () => (catalogP ??= configuredCatalog(ctx, t.configured_catalog_path, configPath, 'full_refresh', high));
    const read = async () => {
      const c = await catalog();
      const path = ctx.writeTemp('basic-read-catalog.json', c);
      return { catalog: c, run: await ctx.run(['read', '--config', configPath, '--catalog', path], { key: `basic_read ${i}`, timeoutMs }) };
    };
    const c = (name: string, fn: (r: { catalog: ConfiguredAirbyteCatalog; run: ConnectorRun }) => string[]) =>
      check(`${label}: ${name}`, async () => fn(await read()));

    const checks: AcceptanceCheck[] = [
      c('read succeeds and emits at least one record', ({ run }) => {
        const problems: string[] = [];
        if (run.exitCode !== 0) problems.push(describeRun(run));
        if (recordsOf(run).length === 0) problems.push('no RECORD messages were emitted');
        return problems;
      }),
      c('every configured stream has records (except empty_streams)', ({ catalog: cat, run }) => {
        const empty = new Set((t.empty_streams ?? []).map((s) => s.name));
        const seen = new Set(recordsOf(run).map(keyOf));
        return cat.streams.map((s) => streamKey(s.stream)).filter((k) => !empty.has(k) && !seen.has(k)).map((k) => `stream ${k} emitted no records`);
      }),
    ];
    if (high) {
      checks.push(check(`${label}: high strictness rules (discovered catalog, empty streams justified)`, async () => [
        ...(t.configured_catalog_path ? ['test_strictness_level high reads the discovered catalog: remove configured_catalog_path'] : []),
        ...(t.empty_streams ?? []).filter((s) => !s.bypass_reason).map((s) => `empty stream ${s.name} needs a bypass_reason at test_strictness_level high`),
      ]));
    }
    if ((t.validate_schema ?? true) || high) {
      checks.push(c('records match their stream schemas', ({ catalog: cat, run }) => {
        const problems = high && t.validate_schema === false ? ['validate_schema cannot be disabled at test_strictness_level high'] : [];
        return [...problems, ...schemaProblems(cat, recordsOf(run), t.fail_on_extra_columns ?? true, recordLines(run))];
      }));
    }
    if (t.validate_primary_keys_data_type ?? true) {
      checks.push(c('primary key values are scalars and not all null', ({ catalog: cat, run }) => primaryKeyProblems(cat, recordsOf(run))));
    }
    if (t.validate_data_points) {
      checks.push(c('every schema field has a non-null value in some record', ({ catalog: cat, run }) => dataPointProblems(cat, recordsOf(run))));
    }
    if (t.expect_records?.path) {
      const path = t.expect_records.path;
      checks.push(c(`records include every expected record in ${path}`, ({ catalog: cat, run }) =>
        expectedRecordProblems(cat, recordsOf(run), readExpected(ctx.path(path)), t)));
    }
    if (t.validate_stream_statuses ?? true) {
      checks.push(c('stream statuses go STARTED → RUNNING… → COMPLETE for every configured stream', ({ catalog: cat, run }) => streamStatusProblems(cat, run)));
    }
    if (t.validate_state_messages ?? true) {
      checks.push(c('per-stream STATE messages with sourceStats, none LEGACY', ({ catalog: cat, run }) => stateProblems(cat, run)));
    }
    if (t.expect_trace_message_on_failure ?? true) {
      checks.push(check(`${label}: a catalog with an unknown stream and sync mode INVALID gives a TRACE error`, async () => {
        const bad = {
          streams: [{
            stream: { name: UNKNOWN_STREAM, json_schema: { type: 'object', properties: { f1: { type: 'string' } } }, supported_sync_modes: ['full_refresh'] },
            sync_mode: 'INVALID', destination_sync_mode: 'INVALID',
          }],
        };
        const run = await ctx.run(['read', '--config', configPath, '--catalog', ctx.writeTemp('invalid-catalog.json', bad)], { timeoutMs });
        const errors = ofType(run.messages, 'TRACE').filter((m) => m.trace.type === 'ERROR');
        return errors.length ? [] : [`no TRACE ERROR was emitted; ${describeRun(run)}`];
      }));
    }
    return checks;
  });
}

function compileSchemas(catalog: ConfiguredAirbyteCatalog): Map<string, { stream: ConfiguredAirbyteStream; validate: ValidateFunction }> {
  const ajv = newAjv();
  ajv.addFormat('date-time', { type: 'string', validate: isCatDateTime });
  return new Map(catalog.streams.map((s) => [streamKey(s.stream), { stream: s, validate: ajv.compile(s.stream.json_schema) }]));
}

/**
 * CAT's record schema validation (strict integers when the raw lines are given, CAT's date-time
 * format, extra top-level columns) and its record-structure check (records share a path with the schema).
 */
export function schemaProblems(catalog: ConfiguredAirbyteCatalog, records: AirbyteRecordMessage[], failOnExtraColumns: boolean, rawLines?: string[]): string[] {
  const streams = compileSchemas(catalog);
  const problems: string[] = [];
  const byStream = new Map<string, Record<string, unknown>[]>();
  records.forEach((r, n) => {
    const s = streams.get(keyOf(r));
    if (!s) { problems.push(`record ${n + 1} is for stream ${keyOf(r)}, which is not in the configured catalog`); return; }
    byStream.set(keyOf(r), [...(byStream.get(keyOf(r)) ?? []), r.data]);
    if (!s.validate(r.data)) problems.push(`record ${n + 1} (${keyOf(r)}) does not match its schema: ${describeAjvErrors(s.validate.errors, 'data')}`);
    const line = rawLines?.[n];
    if (line) {
      const literals = new Map([...nonIntegerLiterals(line)].filter(([p]) => p.startsWith('/record/data/')).map(([p, v]) => [p.slice('/record/data'.length), v]));
      for (const p of strictIntegerProblems(s.stream.stream.json_schema, literals)) problems.push(`record ${n + 1} (${keyOf(r)}): ${p}`);
    }
    const props = s.stream.stream.json_schema.properties;
    if (failOnExtraColumns && props && typeof props === 'object') {
      const extra = Object.keys(r.data).filter((k) => !(k in props));
      if (extra.length) problems.push(`record ${n + 1} (${keyOf(r)}) has columns not in its schema: ${extra.join(', ')}`);
    }
  });
  for (const [key, data] of byStream) {
    const p = sharedPathProblem(key, streams.get(key)!.stream.stream.json_schema, data);
    if (p) problems.push(p);
  }
  return problems;
}

function pkPaths(s: ConfiguredAirbyteStream): string[][] {
  return s.primary_key?.length ? s.primary_key : s.stream.source_defined_primary_key ?? [];
}
function at(data: unknown, path: string[]): unknown {
  let v = data;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v;
}

function primaryKeyProblems(catalog: ConfiguredAirbyteCatalog, records: AirbyteRecordMessage[]): string[] {
  const streams = new Map(catalog.streams.map((s) => [streamKey(s.stream), s]));
  const problems: string[] = [];
  records.forEach((r, n) => {
    const s = streams.get(keyOf(r));
    const pks = s ? pkPaths(s) : [];
    if (!pks.length) return;
    const values = pks.map((p) => at(r.data, p));
    if (values.some((v) => typeof v === 'object' && v !== null)) problems.push(`record ${n + 1} (${keyOf(r)}) has an object or array primary key value`);
    if (values.every((v) => v === null || v === undefined)) problems.push(`record ${n + 1} (${keyOf(r)}) has no primary key value`);
  });
  return problems;
}

function dataPointProblems(catalog: ConfiguredAirbyteCatalog, records: AirbyteRecordMessage[]): string[] {
  return catalog.streams.flatMap((s) => {
    const props = Object.keys((s.stream.json_schema.properties as Record<string, unknown> | undefined) ?? {});
    const rs = records.filter((r) => keyOf(r) === streamKey(s.stream));
    return props.filter((p) => !rs.some((r) => r.data[p] !== null && r.data[p] !== undefined)).map((p) => `${streamKey(s.stream)}: field ${p} is never set`);
  });
}

interface Expected { stream: string; namespace?: string; data: Record<string, unknown> }
function readExpected(path: string): Expected[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l, i) => {
    try { return JSON.parse(l) as Expected; } catch { throw new Error(`${path} line ${i + 1} is not JSON`); }
  });
}

/** As CAT: every expected record must be emitted (by primary key when the stream has one); extras are allowed. */
export function expectedRecordProblems(catalog: ConfiguredAirbyteCatalog, actual: AirbyteRecordMessage[], expected: Expected[], t: BasicReadTest): string[] {
  const problems: string[] = [];
  const streams = new Map(catalog.streams.map((s) => [streamKey(s.stream), s]));
  for (const key of new Set(expected.map(keyOf))) {
    const ignored = (t.ignored_fields?.[key] ?? []).map((f) => f.name.split('.'));
    const strip = (d: Record<string, unknown>) => (ignored.length ? withoutFields(d, ignored) : d);
    const want = expected.filter((e) => keyOf(e) === key).map((e) => strip(e.data));
    const got = actual.filter((r) => keyOf(r) === key).map((r) => strip(r.data));
    const s = streams.get(key);
    if (!s) { problems.push(`expected records name stream ${key}, which is not in the configured catalog`); continue; }
    const pks = pkPaths(s);
    if (t.expect_records?.exact_order) {
      // Expected records must appear in the same relative order.
      let j = 0;
      for (const w of want) {
        while (j < got.length && !isDeepStrictEqual(got[j], w)) j++;
        if (j === got.length) { problems.push(`${key}: expected record ${JSON.stringify(w)} is missing or out of order`); break; }
        j++;
      }
    } else if (pks.length) {
      const pkOf = (d: Record<string, unknown>) => JSON.stringify(pks.map((p) => at(d, p)));
      const byPk = new Map(got.map((d) => [pkOf(d), d]));
      for (const w of want) {
        const g = byPk.get(pkOf(w));
        if (!g) problems.push(`${key}: no record with primary key ${pkOf(w)}`);
        else if (!isDeepStrictEqual(g, w)) problems.push(`${key}: record ${pkOf(w)} differs: expected ${JSON.stringify(w)}, got ${JSON.stringify(g)}`);
      }
    } else {
      for (const w of want) if (!got.some((g) => isDeepStrictEqual(g, w))) problems.push(`${key}: expected record ${JSON.stringify(w)} was not emitted`);
    }
  }
  return problems;
}

/** A copy of `data` without the given field paths (CAT's ignored_fields). */
function withoutFields(data: Record<string, unknown>, paths: string[][]): Record<string, unknown> {
  const copy = structuredClone(data);
  for (const path of paths) {
    let node: unknown = copy;
    for (const part of path.slice(0, -1)) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
    if (node && typeof node === 'object') delete (node as Record<string, unknown>)[path[path.length - 1]!];
  }
  return copy;
}

export function streamStatusProblems(catalog: ConfiguredAirbyteCatalog, run: ConnectorRun): string[] {
  const byStream = new Map<string, string[]>();
  for (const m of ofType(run.messages, 'TRACE')) {
    const st = m.trace.type === 'STREAM_STATUS' ? m.trace.stream_status : undefined;
    if (!st) continue;
    const k = streamKey(st.stream_descriptor);
    byStream.set(k, [...(byStream.get(k) ?? []), st.status]);
  }
  const problems: string[] = [];
  const configured = new Set(catalog.streams.map((s) => streamKey(s.stream)));
  const withRecords = new Set(recordsOf(run).map(keyOf));
  for (const k of configured) {
    const seq = byStream.get(k) ?? [];
    // As CAT: a stream that emitted records must have said RUNNING at least once.
    const pattern = withRecords.has(k) ? /^STARTED( RUNNING)+ COMPLETE$/ : /^STARTED( RUNNING)* COMPLETE$/;
    if (!pattern.test(seq.join(' '))) problems.push(`${k}: statuses were [${seq.join(', ')}], expected STARTED, RUNNING…, COMPLETE${withRecords.has(k) ? ' with at least one RUNNING (it emitted records)' : ''}`);
  }
  for (const k of byStream.keys()) if (!configured.has(k)) problems.push(`status for stream ${k}, which is not configured`);
  return problems;
}

export function stateProblems(catalog: ConfiguredAirbyteCatalog, run: ConnectorRun): string[] {
  const states = ofType(run.messages, 'STATE').map((m) => m.state);
  const problems: string[] = [];
  if (states.length < catalog.streams.length) problems.push(`${states.length} STATE message(s) for ${catalog.streams.length} configured stream(s)`);
  const withState = new Set<string>();
  states.forEach((s, n) => {
    if (s.type === undefined || s.type === 'LEGACY') { problems.push(`STATE ${n + 1} is a LEGACY state; emit per-stream (type STREAM) state`); return; }
    if (s.type !== 'STREAM' || !s.stream?.stream_descriptor) { problems.push(`STATE ${n + 1} is of type ${s.type}, expected STREAM with a stream_descriptor`); return; }
    withState.add(streamKey(s.stream.stream_descriptor));
    if (typeof s.sourceStats?.recordCount !== 'number') problems.push(`STATE ${n + 1} (${streamKey(s.stream.stream_descriptor)}) has no sourceStats.recordCount`);
  });
  for (const s of catalog.streams) if (!withState.has(streamKey(s.stream))) problems.push(`stream ${streamKey(s.stream)} emitted no STATE`);
  return problems;
}

export function planFullRefreshChecks(ctx: HarnessContext): AcceptanceCheck[] {
  const tests = sectionTests(ctx.config.acceptance_tests.full_refresh);
  return tests.map((t, i) => {
    const label = tests.length > 1 ? `full_refresh[${i}]` : 'full_refresh';
    const configPath = ctx.configPath(t.config_path);
    return check(`${label}: two sequential reads; the second's records are all emitted after the first's`, async () => {
      const base = await configuredCatalog(ctx, t.configured_catalog_path, configPath, 'full_refresh');
      const cat = {
        streams: base.streams.filter((s) => s.stream.supported_sync_modes.includes('full_refresh'))
          .map((s) => ({ ...s, sync_mode: 'full_refresh' as const })),
      };
      const path = ctx.writeTemp('full-refresh-catalog.json', cat);
      const timeoutMs = (t.timeout_seconds ?? 1200) * 1000;
      const run1 = await ctx.run(['read', '--config', configPath, '--catalog', path], { timeoutMs });
      const run2 = await ctx.run(['read', '--config', configPath, '--catalog', path], { timeoutMs });
      const r1 = recordsOf(run1);
      const r2 = recordsOf(run2);
      const problems: string[] = [];
      if (run1.exitCode !== 0) problems.push(`read 1: ${describeRun(run1)}`);
      if (run2.exitCode !== 0) problems.push(`read 2: ${describeRun(run2)}`);
      if (!r1.length) problems.push('the first read emitted no records');
      if (r1.length && r2.length) {
        const max1 = r1.reduce((m, r) => Math.max(m, r.emitted_at), -Infinity);
        const min2 = r2.reduce((m, r) => Math.min(m, r.emitted_at), Infinity);
        if (!(max1 < min2)) problems.push(`emitted_at of read 2 (min ${min2}) must all be later than read 1's (max ${max1})`);
      }
      return problems;
    });
  });
}
