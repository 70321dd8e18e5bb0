// The source over a spool: settle window, resume from state, duplicates, damaged objects,
// retention, check, and the CLI (spec/check/discover/read).
import assert from 'node:assert/strict';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { LocalFolderStore, ManualClock, runSourceCli, silentLogger } from '@cio-dw/common';
import type { ObjectStore } from '@cio-dw/common';
import { collectCommand } from '../src/collector/command.js';
import { createSource } from '../src/source.js';
import { deleteExpired, SPOOL_PREFIX, spoolKey, SpoolWriter } from '@cio-dw/common';
import { readAll, sourceConfig, tempDir } from './helpers/harness.js';

const T0 = 1_800_000_000_000;
const line = (type: string, id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type, messageId: id, receivedAt: new Date(T0).toISOString(), userId: 'u', ...(type === 'track' ? { event: 'E' } : {}), ...(type === 'alias' ? { previousId: 'p' } : {}), ...(type === 'group' ? { groupId: 'g' } : {}), ...extra });

function writer(store: ObjectStore, clock: ManualClock, id = 'w1'): SpoolWriter {
  return new SpoolWriter({ store, clock, logger: silentLogger, writerId: id, maxWriteMs: 10_000, windowMs: 0, maxCalls: 1000, maxBytes: 1 << 22, maxConcurrentWrites: 1, maxPendingBytes: 1 << 26 });
}
const at = (ms: number) => ({ now: () => ms, sleep: async () => {} });
const ids = (rows: Record<string, unknown>[] | undefined) => (rows ?? []).map((r) => r.id);

test('settle window: only objects whose key time is older than now − settle are read', async () => {
  const dir = await tempDir();
  const store = new LocalFolderStore(dir);
  const clock = new ManualClock(T0);
  const w = writer(store, clock);
  await w.append([line('identify', 'a')]);
  clock.set(T0 + 10_000);
  await w.append([line('identify', 'b')]);
  const cfg = sourceConfig({ storage: 'local', path: dir }, { settle_seconds: 30 });
  let r = await readAll(cfg, { clock: at(T0 + 30_000) });
  assert.deepEqual(ids(r.rows.identify), [], 'key time T0 is not older than now − 30 s');
  r = await readAll(cfg, { clock: at(T0 + 30_001) });
  assert.deepEqual(ids(r.rows.identify), ['a']);
  const state = r.states;
  r = await readAll(cfg, { clock: at(T0 + 40_001), state });
  assert.deepEqual(ids(r.rows.identify), ['b']);
});

test('a slow writer cannot slip an object behind the cursor', async () => {
  // The writer takes its key time, then the write stalls. Reads meanwhile must not move the cursor
  // past that key time; once the write lands (within max_write_ms < settle), the next read gets it.
  const dir = await tempDir();
  const inner = new LocalFolderStore(dir);
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  let stall = false;
  const store = Object.assign(Object.create(inner) as ObjectStore, {
    putNew: async (...a: Parameters<ObjectStore['putNew']>) => { if (stall) await gate; return inner.putNew(...a); },
  });
  const clock = new ManualClock(T0);
  const fast = writer(inner, clock, 'fast');
  const slow = writer(store, clock, 'slow');
  stall = true;
  const slowAck = slow.append([line('track', 'slow-1')]);
  await new Promise((r) => setTimeout(r, 20)); // the group's write has started: key time T0, write stalled
  clock.set(T0 + 5_000);
  await fast.append([line('track', 'fast-1')]); // key time T0 + 5 s, lands at once
  const cfg = sourceConfig({ storage: 'local', path: dir }, { settle_seconds: 30 });
  // Reader clock 8 s later: nothing is settled yet (a reader without the settle window would take fast-1
  // and move its cursor past the slow writer's key).
  let r = await readAll(cfg, { clock: at(T0 + 8_000) });
  assert.deepEqual(ids(r.rows.track), []);
  clock.set(T0 + 9_000);
  release();
  await slowAck;
  r = await readAll(cfg, { clock: at(T0 + 40_000), state: r.states });
  assert.deepEqual(ids(r.rows.track), ['slow-1', 'fast-1']);
});

test('resume from state: each call exactly once over many reads; full refresh re-reads all', async () => {
  const dir = await tempDir();
  const store = new LocalFolderStore(dir);
  const clock = new ManualClock(T0);
  const w = writer(store, clock);
  const cfg = sourceConfig({ storage: 'local', path: dir }, { settle_seconds: 1 });
  const seen: unknown[] = [];
  let state: Record<string, { spool_key?: string } | undefined> = {};
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 3; i++) {
      clock.advance(100);
      await w.append([line('track', `t-${round}-${i}`), line('page', `p-${round}-${i}`)]);
    }
    const r = await readAll(cfg, { clock: at(clock.now() + 1_001), state });
    seen.push(...ids(r.rows.track));
    assert.equal(r.rows.page!.length, 3, 'page stream advances on its own state');
    assert.ok(r.states.track?.spool_key?.startsWith(SPOOL_PREFIX));
    state = r.states;
  }
  assert.equal(seen.length, 15);
  assert.equal(new Set(seen).size, 15);
  const full = await readAll(cfg, { clock: at(clock.now() + 1_001), state, syncMode: 'full_refresh' });
  assert.equal(full.rows.track!.length, 15);
  const future = await readAll(cfg, { clock: at(clock.now() + 1_001), state: { track: { spool_key: 'spool/99991231/23/9999999999999-zz-99999999.jsonl.gz' } } });
  assert.equal(future.rows.track!.length, 0);
});

test('SDK retries with the same messageId are emitted once within the window, across reads', async () => {
  const dir = await tempDir();
  const store = new LocalFolderStore(dir);
  const clock = new ManualClock(T0);
  const w = writer(store, clock);
  const cfg = sourceConfig({ storage: 'local', path: dir }, { settle_seconds: 1, dedup_window_minutes: 10 });
  await w.append([line('track', 'm1'), line('track', 'm2')]);
  clock.advance(1_000);
  await w.append([line('track', 'm1')]); // retry, same read
  const r1 = await readAll(cfg, { clock: at(clock.now() + 1_001) });
  assert.deepEqual(ids(r1.rows.track), ['m1', 'm2']);
  clock.advance(60_000);
  await w.append([line('track', 'm2'), line('track', 'm3')]); // retry, next read
  const r2 = await readAll(cfg, { clock: at(clock.now() + 1_001), state: r1.states });
  assert.deepEqual(ids(r2.rows.track), ['m3']);
  clock.advance(11 * 60_000);
  await w.append([line('track', 'm1')]); // outside the 10-minute window: a new call
  const r3 = await readAll(cfg, { clock: at(clock.now() + 1_001), state: r2.states });
  assert.deepEqual(ids(r3.rows.track), ['m1']);
});

test('a damaged object is skipped as a whole, never half-read', async () => {
  const dir = await tempDir();
  const store = new LocalFolderStore(dir);
  const clock = new ManualClock(T0);
  await writer(store, clock).append([line('identify', 'ok-1')]);
  const good = await store.get((await first(store))!);
  await store.putNew(spoolKey(T0 + 1, 'torn', 0), good.subarray(0, good.length - 8));
  clock.set(T0 + 2);
  await writer(store, clock, 'w2').append([line('identify', 'ok-2')]);
  const r = await readAll(sourceConfig({ storage: 'local', path: dir }), { clock: at(T0 + 60_000) });
  assert.deepEqual(ids(r.rows.identify), ['ok-1', 'ok-2']);
});

test('retention deletes only objects older than the retention', async () => {
  const dir = await tempDir();
  const store = new LocalFolderStore(dir);
  const now = Date.now();
  for (const [i, age] of [[0, 50], [1, 30], [2, 10], [3, 1]] as const) {
    const key = spoolKey(now - age * 3_600_000, 'w', i);
    await store.putNew(key, Buffer.from('x'));
    const t = new Date(now - age * 3_600_000);
    await utimes(join(dir, key), t, t);
  }
  // Key time says 40 h old, but the object was written just now (a writer with a late clock): kept.
  await store.putNew(spoolKey(now - 40 * 3_600_000, 'late', 0), Buffer.from('x'));
  assert.equal(await deleteExpired(store, now, 24 * 3_600_000, silentLogger), 2);
  const left: string[] = [];
  for await (const o of store.list(SPOOL_PREFIX)) left.push(o.key.split('/').pop()!);
  assert.deepEqual(left.map((k) => k.split('-').slice(1).join('-')), ['late-00000000.jsonl.gz', 'w-00000002.jsonl.gz', 'w-00000003.jsonl.gz']);
  assert.equal(await deleteExpired(store, Date.now() + 1_000, 0, silentLogger), 3, 'everything written before the cutoff goes');
});

async function first(store: ObjectStore): Promise<string | undefined> {
  for await (const o of store.list(SPOOL_PREFIX)) return o.key;
  return undefined;
}

async function cli(argv: string[]): Promise<{ code: number; messages: any[] }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const code = await runSourceCli(createSource(), argv, { stdout: out }, [collectCommand]);
  return { code, messages: Buffer.concat(chunks).toString().split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}

test('CLI: spec, check (ok, missing folder), discover, read with STREAM state', async () => {
  const dir = await tempDir();
  const store = new LocalFolderStore(dir);
  await writer(store, new ManualClock(Date.now() - 120_000)).append([line('track', 'cli-1'), line('identify', 'cli-2')]);
  const cfgPath = join(dir, '..', `${dir.split('/').pop()}-config.json`);
  await writeFile(cfgPath, JSON.stringify({ spool: { storage: 'local', path: dir } }));
  const spec = await cli(['spec']);
  assert.equal(spec.messages[0].type, 'SPEC');
  const ok = await cli(['check', '--config', cfgPath]);
  assert.deepEqual(ok.messages.at(-1).connectionStatus, { status: 'SUCCEEDED' });
  const badPath = `${cfgPath}.bad.json`;
  await writeFile(badPath, JSON.stringify({ spool: { storage: 'local', path: join(dir, 'nope') } }));
  const bad = await cli(['check', '--config', badPath]);
  assert.equal(bad.messages.at(-1).connectionStatus.status, 'FAILED');
  assert.match(bad.messages.at(-1).connectionStatus.message, /does not exist/);
  const disc = await cli(['discover', '--config', cfgPath]);
  const streams = disc.messages.find((m) => m.type === 'CATALOG').catalog.streams;
  assert.deepEqual(streams.map((s: { name: string }) => s.name), ['identify', 'track', 'page', 'screen', 'group', 'alias']);
  const catalogPath = `${cfgPath}.catalog.json`;
  await writeFile(catalogPath, JSON.stringify({ streams: streams.map((s: unknown) => ({ stream: s, sync_mode: 'incremental', destination_sync_mode: 'append', cursor_field: ['received_at'] })) }));
  const read = await cli(['read', '--config', cfgPath, '--catalog', catalogPath]);
  assert.equal(read.code, 0);
  const records = read.messages.filter((m) => m.type === 'RECORD');
  assert.deepEqual(records.map((m) => [m.record.stream, m.record.data.id]).sort(), [['identify', 'cli-2'], ['track', 'cli-1']]);
  const states = read.messages.filter((m) => m.type === 'STATE');
  assert.equal(states.length, 6);
  const statePath = `${cfgPath}.state.json`;
  await writeFile(statePath, JSON.stringify(states.map((s) => s.state)));
  const again = await cli(['read', '--config', cfgPath, '--catalog', catalogPath, '--state', statePath]);
  assert.equal(again.messages.filter((m) => m.type === 'RECORD').length, 0);
});
