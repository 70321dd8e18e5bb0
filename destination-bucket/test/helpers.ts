// Test helpers: run the destination in-process, read files back with DuckDB, build inputs.
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { runDestinationCli, type Clock, type ObjectStore } from '@cio-dw/common';
import { createDestination, type DestinationDeps } from '../src/destination.js';
import type { BucketConfig } from '../src/config.js';

export type Msg = { type: string; state?: any; log?: any; trace?: any; connectionStatus?: any };

export async function tempDir(prefix = 'dbk-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function runCli(args: string[], files: Record<string, unknown>, input: string[] = [], deps: DestinationDeps = {}, clock?: Clock): Promise<{ code: number; messages: Msg[]; stdout: string }> {
  const dir = await tempDir('dbk-args-');
  const argv: string[] = [];
  for (const a of args) argv.push(a);
  for (const [flag, content] of Object.entries(files)) {
    const p = join(dir, `${flag}.json`);
    await writeFile(p, JSON.stringify(content));
    argv.push(`--${flag}`, p);
  }
  let out = '';
  const stdout = new Writable({ write(chunk, _e, cb) { out += chunk.toString(); cb(); } });
  const stdin = Readable.from(input.map((l) => `${l}\n`));
  const code = await runDestinationCli(createDestination(deps), argv, { stdout, stdin, ...(clock ? { clock } : {}) });
  return { code, messages: out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Msg), stdout: out };
}

export function runWrite(config: BucketConfig, catalog: unknown, input: string[], deps: DestinationDeps = {}, clock?: Clock) {
  return runCli(['write'], { config, catalog }, input, deps, clock);
}

export const record = (stream: string, data: Record<string, unknown>, emittedAt = 1_700_000_000_000, namespace?: string): string =>
  JSON.stringify({ type: 'RECORD', record: { stream, ...(namespace ? { namespace } : {}), data, emitted_at: emittedAt } });
export const state = (stream: string, s: unknown): string =>
  JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: stream }, stream_state: s } } });

export function configured(name: string, properties: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    stream: { name, json_schema: { type: 'object', properties }, supported_sync_modes: ['full_refresh', 'incremental'] },
    sync_mode: 'incremental', destination_sync_mode: 'append', generation_id: 1, minimum_generation_id: 0, sync_id: 7, ...extra,
  };
}

/** Every file under dir (relative paths, sorted), temp files included so tests can see leftovers. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string): Promise<void> {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p); else out.push(relative(dir, p));
    }
  }
  await walk(dir).catch(() => undefined);
  return out.sort();
}

let duck: Promise<DuckDBConnection> | undefined;
export async function sql(query: string): Promise<Record<string, unknown>[]> {
  duck ??= DuckDBInstance.create(':memory:').then((db) => db.connect());
  const r = await (await duck).runAndReadAll(query);
  return r.getRowObjectsJS() as Record<string, unknown>[];
}
/** Column name → DuckDB type of a query's result. */
export async function describe(query: string): Promise<Record<string, string>> {
  const rows = await sql(`DESCRIBE ${query}`);
  return Object.fromEntries(rows.map((r) => [r.column_name as string, r.column_type as string]));
}
export const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** Downloads the objects of a store whose key ends in `.${ext}` into a temp folder; their local paths. */
export async function downloadAll(st: ObjectStore, ext: string): Promise<string[]> {
  const dir = await tempDir('dbk-dl-');
  const paths: string[] = [];
  for await (const o of st.list('')) {
    if (!o.key.endsWith(`.${ext}`)) continue;
    const p = join(dir, `${paths.length}.${ext}`);
    await writeFile(p, await st.get(o.key));
    paths.push(p);
  }
  return paths;
}
