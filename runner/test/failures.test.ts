// The runner never wedges and leaves nothing behind: a destination that dies stops the source at once
// and the schedule goes on; a lock dies with its holder (a reused pid, incl. our own, does not block);
// a runner killed with -9 leaves no expanded config (secret) on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../src/main.js';
import { acquireLock } from '../src/lock.js';

const fixtures = new URL('./fixtures/', import.meta.url).pathname;
const bin = new URL('../bin/cio-sync.js', import.meta.url).pathname;
class TextSink extends Writable {
  text = '';
  override _write(c: Buffer, _e: BufferEncoding, cb: () => void) { this.text += c.toString(); cb(); }
}
async function connection(dir: string, sourceConfig: object, destConfig: object) {
  const path = join(dir, 'conn.json');
  await writeFile(path, JSON.stringify({
    source: { connector: join(fixtures, 'fake-source.mjs'), config: sourceConfig },
    destination: { connector: join(fixtures, 'fake-destination.mjs'), config: destConfig },
  }));
  return { path, statePath: join(dir, 'conn.state.json'), lock: join(dir, 'conn.state.json.lock') };
}
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
/** Waits for a condition, checking on a short interval, up to a generous deadline. */
async function until(what: string, ok: () => Promise<boolean> | boolean, deadlineMs = 60_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a destination that dies stops the source at once: FAILED, lock released, and --every keeps scheduling', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'runner-dies-'));
  try {
    const pidfile = join(dir, 'source.pid');
    const c = await connection(dir, { endless: true, pidfile }, { die_after: 5 });
    const err = new TextSink();
    assert.equal(await main(['--connection', c.path, '--every', '100ms', '--times', '2'], { stderr: err }), 1);
    assert.match(err.text, /sync 1 FAILED .*destination: bucket: out of memory/);
    assert.match(err.text, /sync 2 FAILED/, 'the schedule went on after the failed sync');
    assert.match(err.text, /destination exited \(code 1\) while the source was still reading; the source was stopped/);
    assert.equal(alive(Number(await readFile(pidfile, 'utf8'))), false, 'the endless source was stopped');
    assert.equal(existsSync(c.lock), false, 'the lock was released');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a lock naming our own pid (PID 1 after a container restart) or a reused pid with a dead heartbeat does not block', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'runner-lock-'));
  const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  try {
    const c = await connection(dir, { records: 1 }, {});
    // what the old runner left after kill -9 in a container: its pid, which the restarted runner has again
    await writeFile(c.lock, String(process.pid));
    const err = new TextSink();
    assert.equal(await main(['--connection', c.path], { stderr: err }), 0, err.text);
    // a lock whose pid now belongs to another live process, and whose heartbeat stopped long ago
    await writeFile(c.lock, String(other.pid));
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(c.lock, old, old);
    const err2 = new TextSink();
    assert.equal(await main(['--connection', c.path], { stderr: err2 }), 0, err2.text);
    assert.equal(existsSync(c.lock), false);
  } finally {
    other.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});

test('a lock held by a live process blocks; killed with -9 it no longer does; the holder keeps its heartbeat', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'runner-lock2-'));
  try {
    const c = await connection(dir, { records: 1 }, {});
    const lockModule = new URL('../dist/lock.js', import.meta.url).href;
    const holder = spawn(process.execPath, ['--input-type=module', '-e',
      `const { acquireLock } = await import(${JSON.stringify(lockModule)}); await acquireLock(${JSON.stringify(c.lock)}, { heartbeatMs: 50 }); console.log('held'); setInterval(() => {}, 1000);`],
    { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await once(holder.stdout, 'data');
      const first = (await stat(c.lock)).mtimeMs;
      await until('a heartbeat', async () => (await stat(c.lock)).mtimeMs > first);
      const err = new TextSink();
      assert.equal(await main(['--connection', c.path], { stderr: err }), 3);
      assert.match(err.text, /another sync of this connection is running \(pid \d+/);
    } finally {
      holder.kill('SIGKILL');
    }
    await once(holder, 'exit');
    assert.equal(await main(['--connection', c.path], { stderr: new TextSink() }), 0);
    // the holder learns when its lock is gone
    let lost = '';
    const release = await acquireLock(c.lock, { heartbeatMs: 20, onLost: (why) => { lost = why; } });
    await rm(c.lock);
    await until('onLost', () => lost !== '');
    assert.match(lost, /was removed/);
    await release();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

async function filesHolding(root: string, secret: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && (await readFile(p, 'utf8').catch(() => '')).includes(secret)) found.push(p);
    }
  };
  await walk(root);
  return found;
}

test('a runner killed with -9 mid-sync leaves no expanded secret on disk, and the next run takes over its lock', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'runner-secret-'));
  const temp = join(dir, 'tmp');
  await mkdir(temp);
  const secret = `sk-${Date.now()}-do-not-leak`;
  const pidfile = join(dir, 'source.pid');
  const c = await connection(dir, { endless: true, pidfile, key: '${CIO_TEST_KEY}' }, { key: '${CIO_TEST_KEY}' });
  const env = { ...process.env, TMPDIR: temp, CIO_TEST_KEY: secret };
  try {
    const runner = spawn(process.execPath, [bin, '--connection', c.path], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    await until('the source to start reading', () => existsSync(pidfile));
    assert.deepEqual(await filesHolding(dir, secret), [], 'nothing holds the secret while the sync runs');
    runner.kill('SIGKILL');
    await once(runner, 'exit');
    assert.deepEqual(await filesHolding(dir, secret), [], 'nothing holds the secret after kill -9');
    assert.ok(existsSync(c.lock), 'the killed runner left its lock');
    await writeFile(c.path, (await readFile(c.path, 'utf8')).replace('"endless":true', '"records":2'));
    const again = spawn(process.execPath, [bin, '--connection', c.path], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const [code] = await once(again, 'exit') as [number];
    assert.equal(code, 0, 'the lock of the killed runner was taken over');
  } finally {
    const pid = Number(await readFile(pidfile, 'utf8').catch(() => '0'));
    if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});
