// A connector exits right after its last message; nothing may be lost when the reader is slow
// (a pipe to a busy destination), least of all the final STATE and stream status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

test('all output reaches a slow reader before the process exits', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exit-flush-'));
  writeFileSync(join(dir, 'config.json'), '{}');
  writeFileSync(join(dir, 'catalog.json'), JSON.stringify({ streams: [{ stream: { name: 'bulk', json_schema: {}, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'append' }] }));
  const bin = fileURLToPath(new URL('../fixtures/bulk-source.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', bin, 'read', '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json')],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BULK_RECORDS: '50000' } });
  child.stdout.pause(); // the reader is busy: the pipe fills up
  const exited = new Promise<number>((r) => child.once('exit', (c) => r(c ?? -1)));
  const closed = new Promise((r) => child.stdout.once('close', r));
  await new Promise((r) => setTimeout(r, 2500));
  let text = '';
  child.stdout.on('data', (d: Buffer) => { text += d.toString(); });
  child.stdout.resume();
  assert.equal(await exited, 0);
  await closed;
  const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; trace?: { stream_status?: { status: string } } });
  assert.equal(lines.filter((m) => m.type === 'RECORD').length, 50_000);
  assert.equal(lines.filter((m) => m.type !== 'LOG').at(-1)?.trace?.stream_status?.status, 'COMPLETE');
  assert.equal(lines.at(-1)?.type, 'LOG', 'the closing log line arrives too');
  assert.equal(lines.filter((m) => m.type === 'STATE').length, 1);
});

test('flush resolves only once the stream has taken the data, not when it is merely buffered', async () => {
  const { Writable } = await import('node:stream');
  const { LineEmitter } = await import('../../src/protocol/emitter.js');
  let release: (() => void) | undefined;
  // A pipe whose OS buffer is full: the write is accepted (below highWaterMark) but not done yet.
  const out = new Writable({ highWaterMark: 1 << 20, write(_c, _e, cb) { release = cb; } });
  const emitter = new LineEmitter(out);
  let flushed = false;
  const p = emitter.emit({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 'a' }, stream_state: {} } } }).then(() => { flushed = true; });
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(flushed, false, 'must not report the state as written while it sits in a buffer');
  release!();
  await p;
  assert.equal(flushed, true);
});
