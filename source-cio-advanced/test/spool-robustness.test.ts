// Poison pills already in a spool, a missing spool, a damaged spool object: `read` emits everything
// it can and quarantines the rest (WARN + count; the stream moves on); `read` on a missing spool
// fails as `check` does; `check` on a damaged object answers FAILED. Through the CLI, every stdout
// line checked against the protocol schema.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeSpoolObject, LocalFolderStore, spoolKey } from '@cio-dw/common';
import { tempDir } from './helpers/harness.js';
import { cli } from './helpers/cli.js';

const T = Date.now() - 600_000;
const call = (type: string, id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type, messageId: id, receivedAt: new Date(T).toISOString(), userId: 'u', ...extra });

async function files(spool: string): Promise<{ cfg: string; catalog: string }> {
  const cfg = `${spool}-config.json`;
  await writeFile(cfg, JSON.stringify({ spool: { storage: 'local', path: spool } }));
  const disc = await cli(['discover', '--config', cfg]);
  const streams = disc.messages.find((m) => m.type === 'CATALOG').catalog.streams;
  const catalog = `${spool}-catalog.json`;
  await writeFile(catalog, JSON.stringify({ streams: streams.map((s: unknown) => ({ stream: s, sync_mode: 'incremental', destination_sync_mode: 'append', cursor_field: ['received_at'] })) }));
  return { cfg, catalog };
}

test('a call nested 4,109 arrays deep (and other junk) in the spool is quarantined; every later call is emitted, every read', async () => {
  const dir = await tempDir();
  const store = new LocalFolderStore(dir);
  const deep = `{"type":"identify","messageId":"deep-1","receivedAt":"${new Date(T).toISOString()}","userId":"u","traits":{"x":${'['.repeat(4109)}${']'.repeat(4109)}}}`;
  await store.putNew(spoolKey(T, 'w', 0), encodeSpoolObject([
    call('identify', 'before-1'), deep, '{"type":"track","messageId":', 'not json at all', '[1,2]',
    JSON.stringify({ type: 'track', receivedAt: new Date(T).toISOString(), userId: 'u', event: 'no id' }), call('track', 'after-1', { event: 'E' }),
  ]));
  await store.putNew(spoolKey(T + 1, 'w', 1), encodeSpoolObject([call('identify', 'after-2')]));
  const { cfg, catalog } = await files(dir);
  for (let i = 0; i < 2; i++) { // full refresh twice: the same poison never stops a later read
    const r = await cli(['read', '--config', cfg, '--catalog', catalog]);
    assert.deepEqual(r.problems, []);
    assert.equal(r.code, 0, r.lines.join('\n').slice(-2000));
    const ids = r.messages.filter((m) => m.type === 'RECORD').map((m) => m.record.data.id).sort();
    assert.deepEqual(ids, ['after-1', 'after-2', 'before-1']);
    const warns = r.messages.filter((m) => m.type === 'LOG' && m.log.level === 'WARN').map((m) => m.log.message as string);
    assert.ok(warns.some((w) => /quarantined call deep-1 .*nested deeper than 1000 levels/.test(w)), warns.join('\n'));
    assert.ok(warns.some((w) => /quarantined call \(no messageId\)/.test(w)), warns.join('\n'));
    assert.equal(warns.filter((w) => /quarantined a line that is no call/.test(w)).length, 2, warns.join('\n'));
    assert.ok(warns.some((w) => /^track: quarantined call \(no messageId\) .*not JSON/.test(w)), warns.join('\n'));
    const infos = r.messages.filter((m) => m.type === 'LOG').map((m) => m.log.message as string);
    assert.ok(infos.some((l) => /^identify: .* 2 call\(s\).*, 3 quarantined$/.test(l)), infos.join('\n'));
    assert.ok(infos.some((l) => /^track: .* 1 call\(s\).*, 2 quarantined$/.test(l)), infos.join('\n'));
  }
});

test('read on a missing spool folder fails as check does (config error naming the folder)', async () => {
  const dir = await tempDir();
  const { cfg, catalog } = await files(dir);
  const missing = `${cfg}.missing.json`;
  await writeFile(missing, JSON.stringify({ spool: { storage: 'local', path: join(dir, 'nope') } }));
  const check = await cli(['check', '--config', missing]);
  const status = check.messages.at(-1).connectionStatus;
  assert.equal(status.status, 'FAILED');
  const read = await cli(['read', '--config', missing, '--catalog', catalog]);
  assert.deepEqual(read.problems, []);
  assert.notEqual(read.code, 0);
  const trace = read.messages.find((m) => m.type === 'TRACE' && m.trace.type === 'ERROR');
  assert.equal(trace?.trace.error.failure_type, 'config_error');
  assert.equal(trace.trace.error.message, `identify: ${status.message}`, 'the same message, naming the stream');
  assert.equal(read.messages.filter((m) => m.type === 'RECORD' || m.type === 'STATE').length, 0);
});

test('check on a damaged spool object answers CONNECTION_STATUS FAILED naming it', async () => {
  const dir = await tempDir();
  const store = new LocalFolderStore(dir);
  const bytes = encodeSpoolObject([call('identify', 'x')]);
  const key = spoolKey(T, 'w', 0);
  await store.putNew(key, bytes.subarray(0, bytes.length - 7));
  const { cfg } = await files(dir);
  const r = await cli(['check', '--config', cfg]);
  assert.deepEqual(r.problems, []);
  const status = r.messages.at(-1);
  assert.equal(status.type, 'CONNECTION_STATUS');
  assert.equal(status.connectionStatus.status, 'FAILED');
  assert.match(status.connectionStatus.message, new RegExp(`object ${key} is damaged`));
});
