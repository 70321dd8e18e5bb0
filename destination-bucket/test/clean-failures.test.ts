// Failures are clean (a TRACE or a FAILED check, never a crash or a silent skip) and data never lands
// where it must not: key collisions, unusable templates, long names, symlinks out of the root, a
// stream named like the manifest folder, failed syncs and streams that differ only by namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ManualClock } from '@cio-dw/common';
import type { BucketConfig } from '../src/config.js';
import { configured, listFiles, lit, record, runCli, runWrite, sql, state, tempDir, type Msg } from './helpers.js';

const local = (path: string, extra: Partial<BucketConfig> = {}): BucketConfig => ({ store: { store_type: 'local', path }, format: { format_type: 'jsonl', compression: 'none' }, ...extra });
// gzip: the compressor sits between the encoder and the body the store never read (the old crash path)
const localGzip = (path: string): BucketConfig => ({ store: { store_type: 'local', path }, format: { format_type: 'jsonl', compression: 'gzip' } });
const cat = (name = 's', extra: Record<string, unknown> = {}) => ({ streams: [configured(name, { id: { type: 'string' } }, extra)] });
const trace = (ms: Msg[]) => ms.find((m) => m.type === 'TRACE' && m.trace.type === 'ERROR')?.trace.error as { message: string; failure_type: string } | undefined;
const status = (ms: Msg[]) => ms.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus as { status: string; message?: string };

test('local store: a key collision ends the sync with a TRACE, not a crash, and echoes no state', async () => {
  const dir = await tempDir();
  const clock = new ManualClock(1_800_000_000_000);
  const input = [record('s', { id: 'a' }), state('s', 1)];
  assert.equal((await runWrite(localGzip(dir), cat(), input, { random: () => 0.25 }, clock)).code, 0);
  clock.set(1_800_000_000_000);
  const before = await listFiles(dir);
  const r = await runWrite(localGzip(dir), cat(), input, { random: () => 0.25 }, clock);
  assert.equal(r.code, 1);
  assert.match(trace(r.messages)!.message, /already exists.*refusing to overwrite/);
  assert.equal(r.messages.filter((m) => m.type === 'STATE').length, 0);
  assert.deepEqual((await listFiles(dir)).filter((f) => !f.startsWith('_manifests/')), before.filter((f) => !f.startsWith('_manifests/')));
});

test('check tries the template it will use: a drive-letter template fails check and write cleanly', async () => {
  const dir = await tempDir();
  const cfg = local(dir, { path_template: 'C:{sequence}.{ext}' });
  const c = await runCli(['check'], { config: cfg });
  assert.equal(status(c.messages).status, 'FAILED');
  assert.match(status(c.messages).message!, /drive letter/);
  const w = await runWrite(cfg, cat(), [record('s', { id: 'a' })]);
  assert.equal(w.code, 1);
  assert.equal(trace(w.messages)!.failure_type, 'config_error');
  assert.deepEqual(await listFiles(dir), []);
});

test('check fails for a template whose keys the local store cannot hold (a segment over 255 bytes)', async () => {
  const dir = await tempDir();
  const cfg = local(dir, { path_template: `data/${'{namespace}{stream}{sequence}'.repeat(6)}.{ext}` });
  const c = await runCli(['check'], { config: cfg });
  assert.equal(status(c.messages).status, 'FAILED');
  assert.match(status(c.messages).message!, /longer than 255 bytes/);
});

test('keys over 1,024 bytes fail the write with a config error before any data is written', async () => {
  const dir = await tempDir();
  const name = 's'.repeat(190);
  const cfg = local(dir, { path_template: '{stream}/{stream}/{stream}/{stream}/{stream}/{stream}/{sequence}.{ext}' });
  const w = await runWrite(cfg, cat(name), [record(name, { id: 'a' }), state(name, 1)]);
  assert.equal(w.code, 1);
  assert.equal(trace(w.messages)!.failure_type, 'config_error');
  assert.match(trace(w.messages)!.message, /longer than 1024 bytes/);
  assert.deepEqual(await listFiles(dir), []);
});

test('a long non-ASCII stream name is cut to whole characters within 200 bytes per path segment', async () => {
  const dir = await tempDir();
  const name = 'é'.repeat(150); // 300 bytes
  const w = await runWrite(local(dir), cat(name), [record(name, { id: 'a' }), state(name, 1)]);
  assert.equal(w.code, 0, JSON.stringify(trace(w.messages)));
  const data = (await listFiles(dir)).filter((f) => !f.startsWith('_manifests/'));
  assert.equal(data.length, 1);
  for (const seg of data[0]!.split('/')) assert.ok(Buffer.byteLength(seg) <= 255, seg);
});

test('a symlink inside the root is never followed out of it', async () => {
  const dir = await tempDir();
  const outside = await tempDir('dbk-outside-');
  await symlink(outside, join(dir, 's'));
  const w = await runWrite(local(dir), cat(), [record('s', { id: 'a' }), state('s', 1)]);
  assert.equal(w.code, 1);
  assert.match(trace(w.messages)!.message, /symbolic link/);
  assert.equal(w.messages.filter((m) => m.type === 'STATE').length, 0);
  assert.deepEqual(await listFiles(outside), []);
});

test('a stream named _manifests never writes into the manifest folder', async () => {
  const dir = await tempDir();
  const w = await runWrite(local(dir), cat('_manifests'), [record('_manifests', { id: 'a' }), state('_manifests', 1)]);
  assert.equal(w.code, 0);
  const files = await listFiles(dir);
  const manifests = files.filter((f) => f.startsWith('_manifests/'));
  assert.ok(manifests.length >= 2);
  for (const f of manifests) assert.equal(JSON.parse(await readFile(join(dir, f), 'utf8')).manifest_version, 1, f);
  const data = files.filter((f) => !f.startsWith('_manifests/'));
  assert.equal(data.length, 1);
  assert.ok(data[0]!.startsWith('__manifests/'), data[0]);
});

test('a failed sync writes no final manifest (its completed batches stay listed)', async () => {
  const dir = await tempDir();
  const w = await runWrite(local(dir), cat(), [record('s', { id: 'a' }), state('s', 1), 'not json']);
  assert.equal(w.code, 1);
  const manifests = (await listFiles(dir)).filter((f) => f.startsWith('_manifests/'));
  assert.ok(manifests.length >= 1);
  for (const f of manifests) {
    const m = JSON.parse(await readFile(join(dir, f), 'utf8'));
    assert.equal(m.final, false, f);
    assert.equal(m.streams, undefined);
  }
  assert.equal(w.messages.filter((m) => m.type === 'STATE').length, 1);
});

test('S3 check with the prefix ../escape reports FAILED (no TRACE)', async () => {
  const c = await runCli(['check'], { config: { store: { store_type: 's3', bucket: 'dw', prefix: '../escape', region: 'us-east-1', endpoint: 'http://127.0.0.1:9', access_key_id: 'AKIAEXAMPLE', secret_access_key: 'sekrit-value' }, format: { format_type: 'parquet' } } });
  assert.equal(c.messages.filter((m) => m.type === 'TRACE').length, 0);
  assert.equal(status(c.messages).status, 'FAILED');
  assert.match(status(c.messages).message!, /prefix "\.\.\/escape" is not a usable path/);
  assert.ok(!JSON.stringify(c.messages).includes('sekrit-value'));
});

test('namespace "a" + stream "b" and stream "a.b" are distinct streams, each written and checkpointed on its own', async () => {
  const dir = await tempDir();
  const catalog = { streams: [{ ...configured('b', { id: { type: 'string' } }), stream: { ...configured('b', { id: { type: 'string' } }).stream, namespace: 'a' } }, configured('a.b', { id: { type: 'string' } })] };
  const nsState = JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 'b', namespace: 'a' }, stream_state: { n: 1 } } } });
  const w = await runWrite(local(dir), catalog, [record('b', { id: 'in-a' }, undefined, 'a'), record('a.b', { id: 'dotted' }), nsState, state('a.b', { n: 2 })]);
  assert.equal(w.code, 0, JSON.stringify(trace(w.messages)));
  assert.deepEqual(w.messages.filter((m) => m.type === 'STATE').map((m) => m.state.destinationStats.recordCount), [1, 1]);
  const data = (await listFiles(dir)).filter((f) => !f.startsWith('_manifests/'));
  assert.equal(data.length, 2);
  const rows = await sql(`SELECT id, filename LIKE '%/a.b/%' AS dotted FROM read_json([${data.map((f) => lit(join(dir, f))).join(',')}], format='newline_delimited', filename=true) ORDER BY id`);
  assert.deepEqual(rows, [{ id: 'dotted', dotted: true }, { id: 'in-a', dotted: false }]);
});

test('the folder for a stream must be a folder: a file in the way is a clean config error', async () => {
  const dir = await tempDir();
  await mkdir(join(dir, 'x'));
  await (await import('node:fs/promises')).writeFile(join(dir, 's'), 'in the way');
  const w = await runWrite(local(dir), cat(), [record('s', { id: 'a' })]);
  assert.equal(w.code, 1);
  assert.equal(trace(w.messages)!.failure_type, 'config_error');
});
