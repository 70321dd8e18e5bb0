// CAT TestIncremental equivalents: two sequential reads, reads from each checkpoint, future state.
import { isDeepStrictEqual } from 'node:util';
import { streamKey } from '@cio-dw/common';
import type { AirbyteRecordMessage, AirbyteStateMessage, ConfiguredAirbyteCatalog } from '@cio-dw/common';
import type { IncrementalTest } from './acceptance-config.js';
import { sectionTests } from './acceptance-config.js';
import { configuredCatalog } from './discovery-checks.js';
import type { AcceptanceCheck, HarnessContext } from './harness-context.js';
import { check, describeRun } from './harness-context.js';
import { recordsOf } from './read-checks.js';
import { ofType } from './run-connector.js';

/** CAT samples at most about this many checkpoints per stream. */
const MIN_BATCHES_TO_TEST = 5;

/** Streams in incremental mode, each with a cursor (configured or the stream's default). */
async function incrementalCatalog(ctx: HarnessContext, t: IncrementalTest, configPath: string): Promise<ConfiguredAirbyteCatalog> {
  const base = await configuredCatalog(ctx, t.configured_catalog_path, configPath, 'incremental');
  const streams = base.streams.filter((s) => s.sync_mode === 'incremental').map((s) => {
    const cursor = s.cursor_field?.length ? s.cursor_field : s.stream.default_cursor_field;
    if (!cursor?.length) throw new Error(`stream ${streamKey(s.stream)} has neither cursor_field in the catalog nor default_cursor_field`);
    return { ...s, cursor_field: cursor };
  });
  if (!streams.length) throw new Error('the incremental catalog has no stream in incremental mode');
  return { streams };
}

/** Multiset comparison of record data, order ignored (CAT's naive_diff_records). */
export function recordsDiffer(a: AirbyteRecordMessage[], b: AirbyteRecordMessage[]): boolean {
  if (a.length !== b.length) return true;
  const canon = (r: AirbyteRecordMessage) => canonical(r.data);
  const x = a.map(canon).sort();
  const y = b.map(canon).sort();
  return x.some((v, i) => v !== y[i]);
}
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** The state file for a next read: the latest STREAM state of every stream (or the last LEGACY blob). */
export function stateInput(states: AirbyteStateMessage[]): unknown {
  const last = states[states.length - 1];
  if (last && last.type !== 'STREAM') return last.data ?? last;
  const latest = new Map<string, AirbyteStateMessage>();
  for (const s of states) if (s.type === 'STREAM' && s.stream) latest.set(streamKey(s.stream.stream_descriptor), s);
  return [...latest.values()].map((s) => ({ type: 'STREAM', stream: s.stream }));
}

/**
 * CAT's checkpoint selection: collapse consecutive identical states, drop those covering zero records,
 * expected remaining = total − records up to that state; with fewer than 3, test the last one only;
 * else skip the first and the last and sample about MIN_BATCHES_TO_TEST.
 */
export function selectCheckpoints(states: AirbyteStateMessage[]): { state: AirbyteStateMessage; expectedRemaining: number }[] {
  const count = (s: AirbyteStateMessage) => s.sourceStats?.recordCount ?? 0;
  const payload = (s: AirbyteStateMessage) => (s.stream ? s.stream.stream_state : s);
  const unique: { state: AirbyteStateMessage; count: number }[] = [];
  for (const s of states) {
    const prev = unique[unique.length - 1];
    if (prev && isDeepStrictEqual(payload(prev.state), payload(s))) prev.count += count(s);
    else unique.push({ state: s, count: count(s) });
  }
  const nonZero = unique.filter((u) => u.count > 0);
  const total = nonZero.reduce((n, u) => n + u.count, 0);
  let seen = 0;
  const withRemaining = nonZero.map((u) => { seen += u.count; return { state: u.state, expectedRemaining: total - seen }; });
  if (withRemaining.length < 3) return withRemaining.slice(-1);
  const rate = Math.floor(withRemaining.length / MIN_BATCHES_TO_TEST) || 1;
  return withRemaining.filter((_, i) => i !== 0 && i % rate === 0 && i !== withRemaining.length - 1);
}

export function planIncrementalChecks(ctx: HarnessContext): AcceptanceCheck[] {
  const tests = sectionTests(ctx.config.acceptance_tests.incremental);
  return tests.flatMap((t, i) => {
    const label = tests.length > 1 ? `incremental[${i}]` : 'incremental';
    const configPath = ctx.configPath(t.config_path);
    const timeoutMs = (t.timeout_seconds ?? 1200) * 1000;
    // Reads are deterministic inputs → outputs, so identical ones (e.g. the first read of a one-stream
    // catalog and the full read before slicing it) are shared.
    const read = async (catalog: ConfiguredAirbyteCatalog, state?: unknown) => {
      const args = ['read', '--config', configPath, '--catalog', ctx.writeTemp('incremental-catalog.json', catalog)];
      if (state !== undefined) args.push('--state', ctx.writeTemp('state.json', state));
      return ctx.run(args, { timeoutMs, key: `incremental ${i} ${JSON.stringify(catalog)} ${JSON.stringify(state ?? null)}` });
    };
    const checks: AcceptanceCheck[] = [
      check(`${label}: a second read from the first read's final state gives different records`, async () => {
        const cat = await incrementalCatalog(ctx, t, configPath);
        const run1 = await read(cat);
        const states = ofType(run1.messages, 'STATE').map((m) => m.state);
        const records1 = recordsOf(run1);
        const problems: string[] = [];
        if (run1.exitCode !== 0) problems.push(`read 1: ${describeRun(run1)}`);
        if (!states.length) problems.push('read 1 emitted no STATE');
        if (!records1.length) problems.push('read 1 emitted no RECORD');
        if (problems.length) return problems;
        const run2 = await read(cat, stateInput(states));
        if (run2.exitCode !== 0) problems.push(`read 2: ${describeRun(run2)}`);
        if (!recordsDiffer(records1, recordsOf(run2))) problems.push(`read 2 (with state) emitted the same ${records1.length} records as read 1`);
        return problems;
      }),
    ];
    if (!t.skip_comprehensive_incremental_tests) {
      checks.push(check(`${label}: reads from each checkpoint give at least the records after it`, async () => {
        const cat = await incrementalCatalog(ctx, t, configPath);
        const problems: string[] = [];
        for (const stream of cat.streams) {
          const one = { streams: [stream] };
          const key = streamKey(stream.stream);
          const full = await read(one);
          const records1 = recordsOf(full);
          if (full.exitCode !== 0) { problems.push(`${key}: full read: ${describeRun(full)}`); continue; }
          const states = ofType(full.messages, 'STATE').map((m) => m.state);
          if (!records1.length || !states.length) continue; // as CAT: nothing to slice
          const picks = selectCheckpoints(states);
          if (!picks.length) { problems.push(`${key}: no usable checkpoint (every STATE has sourceStats.recordCount 0 or none)`); continue; }
          for (const [n, { state, expectedRemaining }] of picks.entries()) {
            const run = await read(one, stateInput([state]));
            const got = recordsOf(run);
            if (run.exitCode !== 0) problems.push(`${key}: read from checkpoint ${n + 1}: ${describeRun(run)}`);
            if (got.length < expectedRemaining) problems.push(`${key}: read from checkpoint ${n + 1}/${picks.length} (${JSON.stringify(state.stream?.stream_state)}) gave ${got.length} records, expected at least ${expectedRemaining}`);
            if (!recordsDiffer(records1, got)) problems.push(`${key}: read from checkpoint ${n + 1} gave the same records as the full read`);
          }
        }
        return problems;
      }));
    }
    const future = t.future_state;
    if (future?.future_state_path) {
      const path = future.future_state_path;
      checks.push(check(`${label}: a future state (${path}) gives no records and at least one STATE`, async () => {
        const cat = await incrementalCatalog(ctx, t, configPath);
        const run = await read(cat, ctx.readJson(path));
        const problems: string[] = [];
        if (run.exitCode !== 0) problems.push(describeRun(run));
        const records = recordsOf(run);
        if (records.length) problems.push(`${records.length} record(s) emitted, e.g. for stream ${records[0]!.stream}`);
        if (!ofType(run.messages, 'STATE').length) problems.push('no STATE emitted');
        return problems;
      }));
    } else if (ctx.config.test_strictness_level === 'high' && !future?.bypass_reason) {
      checks.push(check(`${label}: a future state is configured`, async () => ['test_strictness_level high requires incremental.future_state.future_state_path (or a bypass_reason)']));
    }
    return checks;
  });
}
