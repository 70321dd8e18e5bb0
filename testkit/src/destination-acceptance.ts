// The destination acceptance suite: CAT's spec and connection sections from acceptance-test-config.yml,
// plus `write` scenarios (message scripts) that check how STATE messages are echoed.
//
// Durability is checked by observation, not by trusting the destination: the script is fed line by
// line, and after each input STATE the harness pauses feeding until that state is echoed (or a short
// settle time passes without output). Whenever a STATE appears on the destination's stdout, the
// harness freezes the process (SIGSTOP), asks the test's `readBack()` how many records of each stream
// are durably present in the destination's storage, then lets it continue (SIGCONT). Because durable
// counts only grow, a correct destination always passes (no false failures). A destination that echoes
// a state before writing its records is caught whenever the write had not finished by the time the
// harness froze it; pausing the input after every state makes that deterministic for the common bug
// (writes deferred to a later batch or to the end of input), since nothing else would trigger them.
// It is the observable form of the protocol rule "a STATE on stdout means every record before it is
// committed": if the process were killed at that instant, readBack is what would survive.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { streamKey } from '@cio-dw/common';
import type { AirbyteMessage, AirbyteStateMessage, ConfiguredAirbyteCatalog } from '@cio-dw/common';
import { sectionTests } from './acceptance-config.js';
import type { AcceptanceCheck, CheckResult, HarnessContext, HarnessOptions } from './harness-context.js';
import { check, describeRun, HarnessContext as Context } from './harness-context.js';
import { planOutputChecks } from './output-checks.js';
import type { ConnectorRun } from './run-connector.js';
import { commandLine, parseStdout } from './run-connector.js';
import type { AcceptancePlan } from './source-acceptance.js';
import { runPlan } from './source-acceptance.js';
import { planConnectionChecks, planSpecChecks } from './spec-checks.js';

export interface WriteScenario {
  /** Short name used in check names. */
  name: string;
  /** JSONL message script (RECORD and STATE lines), relative to the connector folder. */
  messages: string;
  /** Configured catalog, relative to the connector folder. */
  catalog: string;
  /** A fresh config for this run (e.g. pointing at an empty folder or bucket prefix). */
  config(): Promise<Record<string, unknown>> | Record<string, unknown>;
  /** How many records of each stream (key `namespace.name` or `name`) are durably stored now. */
  readBack(config: Record<string, unknown>): Promise<Record<string, number>>;
  /** How long to wait for a state's echo before feeding more input (ms). Default 300. */
  settleMs?: number;
  timeoutMs?: number;
}

export interface DestinationHarnessOptions extends HarnessOptions { scenarios: WriteScenario[] }

interface EchoObservation { state: AirbyteStateMessage; durable?: Record<string, number>; readBackError?: string }
export interface WriteRun { run: ConnectorRun; input: AirbyteMessage[]; echoes: EchoObservation[]; finalDurable: Record<string, number>; catalog: ConfiguredAirbyteCatalog }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runWrite(ctx: HarnessContext, sc: WriteScenario): Promise<WriteRun> {
  const config = await sc.config();
  const configPath = ctx.writeTemp('destination-config.json', config);
  ctx.configPaths.add(configPath);
  const catalogPath = ctx.path(sc.catalog);
  const catalog = JSON.parse(readFileSync(catalogPath, 'utf8')) as ConfiguredAirbyteCatalog;
  const lines = readFileSync(ctx.path(sc.messages), 'utf8').split('\n').filter((l) => l.trim());
  const input = lines.map((l) => JSON.parse(l) as AirbyteMessage);
  const args = ['write', '--config', configPath, '--catalog', catalogPath];
  const started = Date.now();
  const line = commandLine(ctx.cmd, args);
  const child = spawn(line.file, line.argv, { cwd: ctx.cmd.cwd, env: line.env, stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const echoes: EchoObservation[] = [];
  let exited = false;
  let pending = '';
  let chain = Promise.resolve();
  let lastOutput = Date.now();
  child.stderr.on('data', (b: Buffer) => err.push(b));
  child.stdout.on('data', (b: Buffer) => {
    out.push(b);
    lastOutput = Date.now();
    const parts = (pending + b.toString('utf8')).split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) {
      let msg: unknown;
      try { msg = JSON.parse(line); } catch { continue; }
      const m = msg as { type?: string; state?: AirbyteStateMessage };
      if (m.type !== 'STATE' || !m.state) continue;
      const obs: EchoObservation = { state: m.state };
      echoes.push(obs);
      chain = chain.then(async () => {
        const frozen = !exited && child.kill('SIGSTOP');
        try { obs.durable = await sc.readBack(config); } catch (e) { obs.readBackError = (e as Error).message; }
        if (frozen) child.kill('SIGCONT');
      });
    }
  });
  child.stdin.on('error', () => { /* the destination may exit early */ });
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => { exited = true; resolve({ code, signal }); });
  });
  child.on('exit', () => { exited = true; });
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, sc.timeoutMs ?? 60_000);
  let statesFed = 0;
  for (const [i, line] of lines.entries()) {
    if (exited) break;
    if (!child.stdin.write(`${line}\n`)) await new Promise((r) => child.stdin.once('drain', r));
    if (input[i]?.type !== 'STATE') continue;
    statesFed++;
    // Wait for this state's echo, or until the destination has been quiet for settleMs.
    const settle = sc.settleMs ?? 300;
    const since = Date.now();
    while (!exited && echoes.length < statesFed && (Date.now() - Math.max(since, lastOutput)) < settle) await sleep(10);
    await chain;
  }
  child.stdin.end();
  const { code, signal } = await closed;
  clearTimeout(timer);
  await chain;
  const stdout = Buffer.concat(out).toString('utf8');
  const run: ConnectorRun = {
    args, exitCode: code, signal, timedOut, stdout, stderr: Buffer.concat(err).toString('utf8'),
    ...parseStdout(stdout), durationMs: Date.now() - started,
  };
  ctx.runs.push(run);
  return { run, input, echoes, finalDurable: await sc.readBack(config), catalog };
}

const withoutStats = (s: AirbyteStateMessage) => { const { destinationStats: _d, ...rest } = s; return rest; };

/** Records per stream before each input state, and the destinationStats count each state should carry. */
export function expectedEchoes(input: AirbyteMessage[], catalog: ConfiguredAirbyteCatalog): { state: AirbyteStateMessage; covered: Record<string, number>; recordCount: number }[] {
  const streams = new Set(catalog.streams.map((s) => streamKey(s.stream)));
  const seen: Record<string, number> = Object.fromEntries([...streams].map((k) => [k, 0]));
  const since: Record<string, number> = { ...seen };
  const out: { state: AirbyteStateMessage; covered: Record<string, number>; recordCount: number }[] = [];
  for (const m of input) {
    if (m.type === 'RECORD') {
      const k = streamKey({ name: m.record.stream, ...(m.record.namespace ? { namespace: m.record.namespace } : {}) });
      if (!streams.has(k)) continue;
      seen[k]!++; since[k]!++;
    } else if (m.type === 'STATE') {
      const d = m.state.type === 'STREAM' ? m.state.stream?.stream_descriptor : undefined;
      const scope = d ? [streamKey(d)] : [...streams];
      out.push({
        state: m.state,
        covered: Object.fromEntries(scope.map((k) => [k, seen[k] ?? 0])),
        recordCount: scope.reduce((n, k) => n + (since[k] ?? 0), 0),
      });
      for (const k of scope) since[k] = 0;
    }
  }
  return out;
}

export function planWriteChecks(ctx: HarnessContext, scenarios: WriteScenario[]): AcceptanceCheck[] {
  return scenarios.flatMap((sc) => {
    let p: Promise<WriteRun> | undefined;
    const write = () => (p ??= runWrite(ctx, sc));
    const label = `write[${sc.name}]`;
    return [
      check(`${label}: the input script's STATE messages carry sourceStats.recordCount = records since the previous state`, async () => {
        // A fixture is a recorded source output: its counts must be what a source would say (CAT and
        // the platform compare them with the destination's), or the echo checks below test nothing real.
        const catalog = JSON.parse(readFileSync(ctx.path(sc.catalog), 'utf8')) as ConfiguredAirbyteCatalog;
        const input = readFileSync(ctx.path(sc.messages), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as AirbyteMessage);
        return expectedEchoes(input, catalog).flatMap((e, i) => {
          const got = e.state.sourceStats?.recordCount;
          return got === e.recordCount ? [] : [`${sc.messages}: STATE ${i + 1} says sourceStats.recordCount ${String(got)}, but ${e.recordCount} record(s) of its stream came since the previous one`];
        });
      }),
      check(`${label}: exits 0 and echoes every input STATE exactly once, in order`, async () => {
        const w = await write();
        const want = expectedEchoes(w.input, w.catalog);
        const problems: string[] = [];
        if (w.run.exitCode !== 0) problems.push(describeRun(w.run));
        if (w.echoes.length !== want.length) problems.push(`${w.echoes.length} state(s) echoed for ${want.length} in the input`);
        w.echoes.forEach((e, i) => {
          if (!want[i] || !isDeepStrictEqual(withoutStats(e.state), withoutStats(want[i]!.state))) problems.push(`echoed state ${i + 1} is not input state ${i + 1}: ${JSON.stringify(e.state)}`);
        });
        return problems;
      }),
      check(`${label}: destinationStats.recordCount equals the records since the previous state`, async () => {
        const w = await write();
        const want = expectedEchoes(w.input, w.catalog);
        return w.echoes.flatMap((e, i) => {
          const expected = want[i]?.recordCount;
          const got = e.state.destinationStats?.recordCount;
          return got === expected ? [] : [`echoed state ${i + 1}: destinationStats.recordCount is ${String(got)}, expected ${String(expected)}`];
        });
      }),
      check(`${label}: every echoed state's records were durable when it was echoed`, async () => {
        const w = await write();
        const want = expectedEchoes(w.input, w.catalog);
        const problems: string[] = [];
        w.echoes.forEach((e, i) => {
          const exp = want[i];
          if (!exp) return;
          if (e.readBackError) { problems.push(`echoed state ${i + 1}: readBack failed: ${e.readBackError}`); return; }
          for (const [k, n] of Object.entries(exp.covered)) {
            const have = e.durable?.[k] ?? 0;
            if (have < n) problems.push(`state ${i + 1} (${k}) was echoed when ${have} of its ${n} record(s) were durable`);
          }
        });
        if (!w.echoes.length && want.length) problems.push('no state was echoed, nothing to verify');
        return problems;
      }),
      check(`${label}: every record is durable at the end, exactly once`, async () => {
        const w = await write();
        const totals: Record<string, number> = {};
        for (const s of w.catalog.streams) totals[streamKey(s.stream)] = 0;
        for (const m of w.input) {
          if (m.type !== 'RECORD') continue;
          const k = streamKey({ name: m.record.stream, ...(m.record.namespace ? { namespace: m.record.namespace } : {}) });
          if (k in totals) totals[k]!++;
        }
        return Object.entries(totals).filter(([k, n]) => (w.finalDurable[k] ?? 0) !== n)
          .map(([k, n]) => `${k}: ${w.finalDurable[k] ?? 0} record(s) stored, ${n} sent`);
      }),
    ];
  });
}

export function planDestinationAcceptance(connectorDir: string, opts: DestinationHarnessOptions): AcceptancePlan {
  const ctx = new Context(connectorDir, opts);
  for (const section of ['discovery', 'basic_read', 'full_refresh', 'incremental', 'connector_attributes', 'connector_documentation'] as const) {
    if (sectionTests(ctx.config.acceptance_tests[section]).length) {
      throw new Error(`acceptance-test-config.yml: section ${section} does not apply to a destination; remove it or use bypass_reason`);
    }
  }
  const only = opts.only ?? (() => true);
  const checks = [...planSpecChecks(ctx), ...planConnectionChecks(ctx), ...planWriteChecks(ctx, opts.scenarios)].filter((c) => only(c.name));
  return { context: ctx, checks: [...checks, ...planOutputChecks(ctx, checks)] };
}

export function runDestinationAcceptance(connectorDir: string, opts: DestinationHarnessOptions): Promise<CheckResult[]> {
  return runPlan(planDestinationAcceptance(connectorDir, opts));
}
