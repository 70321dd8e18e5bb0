// Shared state of one acceptance run over a connector folder: how to start it, memoised subprocess
// runs (so checks that need the same run share it), generated files, and every run made (for the
// protocol and secret checks that look at all output).
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { AcceptanceTestConfig } from './acceptance-config.js';
import { loadAcceptanceConfig } from './acceptance-config.js';
import type { ConnectorCommand, ConnectorRun, RunOptions } from './run-connector.js';
import { runConnector } from './run-connector.js';

export interface HarnessOptions {
  /** CLI entry, relative to the connector folder. Default `bin/<folder name>.js`. */
  bin?: string;
  /** Extra node arguments, e.g. ['--import', 'tsx'] to run a .ts entry point. */
  nodeArgs?: string[];
  /** Start the connector with this command instead of node + bin (e.g. a staged image's entrypoint). */
  entrypoint?: string[];
  /** Start the connector from an empty environment (PATH, NODE_NO_WARNINGS and `env` only), as a container does. */
  cleanEnv?: boolean;
  /** Working directory of every run (default: the connector folder). */
  cwd?: string;
  /** Where generated files (catalogs, states, prepared configs) go (default: the OS temp folder).
   *  The folder made there is readable by everyone, for connectors running as another user. */
  tmpDir?: string;
  /** Extra environment for every run (over the config's custom_environment_variables). */
  env?: Record<string, string>;
  /** Acceptance config file, relative to the connector folder. Default `acceptance-test-config.yml`. */
  configFile?: string;
  /** Only plan checks whose name this accepts (e.g. to run one section in a broken-variant test). */
  only?: (checkName: string) => boolean;
  /** Extra values that must never appear in output (besides the configs' airbyte_secret values). */
  extraSecrets?: string[];
  /**
   * Rewrites each config file named in the acceptance config before the connector sees it, e.g. to
   * point `base_url` at a simulator a test started on port 0. Called lazily, at the first run that
   * uses the file, so a `before()` hook or top-level await may set up what it needs.
   */
  prepareConfig?: (config: Record<string, unknown>, path: string) => Record<string, unknown> | Promise<Record<string, unknown>>;
}

export interface CheckResult { name: string; ok: boolean; reason?: string }

/** A named, lazily run check; `run` is memoised. */
export interface AcceptanceCheck { name: string; run(): Promise<CheckResult> }

export class HarnessContext {
  readonly dir: string;
  readonly base: string;
  readonly config: AcceptanceTestConfig;
  readonly cmd: ConnectorCommand;
  readonly runs: ConnectorRun[] = [];
  readonly configPaths = new Set<string>();
  private readonly memo = new Map<string, Promise<ConnectorRun>>();
  private readonly prepared = new Map<string, Promise<string>>();
  private tmp: string | undefined;
  private files = 0;

  constructor(connectorDir: string, readonly opts: HarnessOptions = {}) {
    this.dir = resolve(connectorDir);
    this.config = loadAcceptanceConfig(join(this.dir, opts.configFile ?? 'acceptance-test-config.yml'));
    this.base = resolve(this.dir, this.config.base_path ?? '.');
    const custom = Object.fromEntries(Object.entries(this.config.custom_environment_variables ?? {}).map(([k, v]) => [k, String(v)]));
    this.cmd = {
      bin: resolve(this.dir, opts.bin ?? join('bin', `${basename(this.dir)}.js`)),
      nodeArgs: opts.nodeArgs ?? [],
      ...(opts.entrypoint ? { entrypoint: opts.entrypoint } : {}),
      ...(opts.cleanEnv ? { cleanEnv: true } : {}),
      env: { ...custom, ...opts.env },
      cwd: opts.cwd ?? this.dir,
    };
  }

  /** Absolute path of a file named in the acceptance config (relative to base_path). */
  path(p: string): string { return isAbsolute(p) ? p : resolve(this.base, p); }
  exists(p: string): boolean { return existsSync(this.path(p)); }
  readJson(p: string): unknown { return JSON.parse(readFileSync(this.path(p), 'utf8')); }

  /** Config path for a test (CAT default secrets/config.json); remembered for the secret scan. */
  configPath(p: string | undefined): string {
    const abs = this.path(p ?? 'secrets/config.json');
    this.configPaths.add(abs);
    return abs;
  }

  /** The file the connector is given for a config path: the file itself, or its prepared copy. */
  effectiveConfig(path: string): Promise<string> {
    const prepare = this.opts.prepareConfig;
    if (!prepare || !this.configPaths.has(path)) return Promise.resolve(path);
    let p = this.prepared.get(path);
    if (!p) {
      p = (async () => {
        const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
        return this.writeTemp(`config-${basename(path)}`, await prepare(raw, path));
      })();
      this.prepared.set(path, p);
    }
    return p;
  }

  /** Every config file a connector was (or will be) given, prepared copies included. */
  async allConfigFiles(): Promise<string[]> {
    return [...this.configPaths, ...await Promise.all([...this.prepared.values()])];
  }

  /** Writes a generated JSON file (catalog, state) to a temporary folder; returns its path. */
  writeTemp(name: string, value: unknown): string {
    if (!this.tmp) {
      this.tmp = mkdtempSync(join(this.opts.tmpDir ?? tmpdir(), 'acceptance-'));
      chmodSync(this.tmp, 0o755);
    }
    const path = join(this.tmp, `${++this.files}-${name}`);
    writeFileSync(path, JSON.stringify(value));
    return path;
  }

  /** Runs the connector; with `key`, identical runs are shared between checks. */
  run(args: string[], opts: RunOptions & { key?: string } = {}): Promise<ConnectorRun> {
    const start = async () => {
      const effective = await Promise.all(args.map((a) => this.effectiveConfig(a)));
      const r = await runConnector(this.cmd, effective, opts);
      this.runs.push(r);
      return r;
    };
    if (!opts.key) return start();
    let p = this.memo.get(opts.key);
    if (!p) { p = start(); this.memo.set(opts.key, p); }
    return p;
  }

  dispose(): void {
    if (this.tmp) rmSync(this.tmp, { recursive: true, force: true });
    this.tmp = undefined;
  }
}

/** Wraps a problem-returning function as a memoised check. Thrown errors become failures. */
export function check(name: string, fn: () => Promise<string[]>): AcceptanceCheck {
  let result: Promise<CheckResult> | undefined;
  return {
    name,
    run() {
      result ??= fn().then(
        (problems) => problems.length ? { name, ok: false, reason: summarise(problems) } : { name, ok: true },
        (e: unknown) => ({ name, ok: false, reason: `harness error: ${e instanceof Error ? e.message : String(e)}` }),
      );
      return result;
    },
  };
}

function summarise(problems: string[]): string {
  const shown = problems.slice(0, 12);
  return shown.join('\n') + (problems.length > shown.length ? `\n… and ${problems.length - shown.length} more` : '');
}

/** A short description of a run for failure messages (exit code and the first stderr line or error trace). */
export function describeRun(run: ConnectorRun): string {
  const trace = run.messages.find((m) => m.type === 'TRACE' && m.trace?.type === 'ERROR');
  const why = trace && trace.type === 'TRACE' ? trace.trace.error?.message : run.stderr.trim().split('\n').slice(-1)[0];
  return `\`${run.args[0]}\` exited ${run.timedOut ? 'by timeout' : String(run.exitCode)}${why ? ` (${why})` : ''}`;
}
