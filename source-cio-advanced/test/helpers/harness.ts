// Test helpers: temp spools, an in-process collector, HTTP posting, reading every stream.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { LocalFolderStore, silentLogger, systemClock } from '@cio-dw/common';
import type { Clock, ObjectStore, SyncMode } from '@cio-dw/common';
import { parseCollectorConfig } from '../../src/collector/config.js';
import type { CollectorConfig } from '../../src/collector/config.js';
import { Collector } from '../../src/collector/server.js';
import { createSource } from '../../src/source.js';
import type { SpoolStore } from '@cio-dw/common';
import type { AdvancedConfig, SpoolState } from '../../src/streams/config.js';

export const KEY = 'test-write-key-1';
export const KEY2 = 'test-write-key-2';
export const SECRET = 'webhook-shared-secret';

export async function tempDir(name = 'spool'): Promise<string> {
  return mkdtemp(join(tmpdir(), `cio-adv-${name}-`));
}

export function collectorConfig(spoolPath: string, extra: Record<string, unknown> = {}): CollectorConfig {
  return parseCollectorConfig({
    listen: { host: '127.0.0.1', port: 0 }, write_keys: [KEY, KEY2], webhook_secret: SECRET,
    spool: { storage: 'local', path: spoolPath }, retention_hours: 0, ...extra,
  }) as CollectorConfig;
}

export interface Running { url: string; collector: Collector; store: ObjectStore; close(): Promise<void> }

export async function startCollector(config: CollectorConfig, opts: { store?: ObjectStore; clock?: Clock; writerId?: string } = {}): Promise<Running> {
  const store = opts.store ?? new LocalFolderStore((config.spool as { path: string }).path, { domain: 'spool' });
  const collector = new Collector({ config, store, clock: opts.clock ?? systemClock, logger: silentLogger, writerId: opts.writerId ?? 'test' });
  const { url } = await collector.listen();
  return { url, collector, store, close: async () => { await collector.close(); await store.close(); } };
}

export function basic(key: string): string {
  return `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
}

export interface PostOptions { key?: string | null; gzip?: boolean; headers?: Record<string, string>; raw?: string | Buffer }

export async function post(url: string, path: string, body: unknown, o: PostOptions = {}): Promise<{ status: number; body: any }> {
  let data: Buffer = o.raw !== undefined ? Buffer.from(o.raw) : Buffer.from(JSON.stringify(body));
  const headers: Record<string, string> = { 'content-type': 'application/json', ...o.headers };
  if (o.key !== null) headers.authorization = basic(o.key ?? KEY);
  if (o.gzip) { data = gzipSync(data); headers['content-encoding'] = 'gzip'; }
  const r = await fetch(url + path, { method: 'POST', headers, body: data });
  const text = await r.text();
  let parsed: unknown = text;
  try { parsed = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, body: parsed };
}

export function sourceConfig(spool: AdvancedConfig['spool'], extra: Partial<AdvancedConfig> = {}): AdvancedConfig {
  return { spool, settle_seconds: 30, dedup_window_minutes: 60, ...extra };
}

/** A clock `aheadMs` in the future, so a test needs not wait for the settle window. */
export function aheadClock(aheadMs = 120_000): Clock {
  return { now: () => Date.now() + aheadMs, sleep: systemClock.sleep };
}

export interface ReadResult { rows: Record<string, Record<string, unknown>[]>; states: Record<string, SpoolState | undefined> }

/** Reads every stream (incremental from `state`), as the read loop would. */
export async function readAll(config: AdvancedConfig, o: { state?: Record<string, SpoolState | undefined>; clock?: Clock; syncMode?: SyncMode; store?: SpoolStore } = {}): Promise<ReadResult> {
  const source = createSource(o.store ? { openStore: () => ({ ...wrap(o.store!) }) } : {});
  const rows: ReadResult['rows'] = {};
  const states: ReadResult['states'] = {};
  for (const s of await source.streams(config, { logger: silentLogger, clock: systemClock })) {
    rows[s.name] = [];
    states[s.name] = o.state?.[s.name];
    const ctx = {
      config, state: o.state?.[s.name], syncMode: o.syncMode ?? 'incremental' as SyncMode, logger: silentLogger,
      clock: o.clock ?? aheadClock(), signal: new AbortController().signal,
    };
    for await (const item of s.read(ctx)) {
      if (item.kind === 'record') rows[s.name]!.push(item.data);
      else if (item.kind === 'state') states[s.name] = item.state as SpoolState;
    }
  }
  return { rows, states };
}

/** A store wrapper whose close() does nothing (the test owns the store). */
function wrap(store: SpoolStore): SpoolStore {
  return {
    putNew: (k, b, op) => store.putNew(k, b, op), get: (k, op) => store.get(k, op), list: (p, op) => store.list(p, op),
    delete: (k) => store.delete(k), describe: () => store.describe(), close: async () => {},
  };
}

const RUNNER = fileURLToPath(new URL('./run-collector.ts', import.meta.url));

export interface ChildCollector { url: string; child: ChildProcess; exited: Promise<number | null>; stdout: string[] }

/** Starts `collect --config <file>` in a child process and waits for its "listening on" log. */
export async function spawnCollector(config: Record<string, unknown>, dir: string, name = 'collector'): Promise<ChildCollector> {
  const path = join(dir, `${name}.json`);
  await writeFile(path, JSON.stringify(config));
  const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, 'collect', '--config', path], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const stdout: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    // Generous: startup (tsx + imports) takes tens of seconds at load 25+. A child that never listens is killed, so the file cannot hang.
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`collector did not start: ${stderr}\n${stdout.join('\n')}`)); }, 120_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      stdout.push(line);
      const m = /listening on (http:\/\/[0-9.]+:\d+)/.exec(line);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`collector exited (${code}) before listening: ${stderr}\n${stdout.join('\n')}`)); });
  });
  return { url, child, exited, stdout };
}
