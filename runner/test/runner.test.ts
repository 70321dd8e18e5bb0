import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../src/main.js';
import { acquireLock } from '../src/lock.js';
import { parseDuration } from '../src/duration.js';
import { configureCatalog } from '../src/catalog.js';

const fixtures = new URL('./fixtures/', import.meta.url).pathname;
class TextSink extends Writable {
  text = '';
  override _write(c: Buffer, _e: BufferEncoding, cb: () => void) { this.text += c.toString(); cb(); }
}
const sink = () => new TextSink();
async function connection(sourceConfig: object, destConfig: object) {
  const dir = await mkdtemp(join(tmpdir(), 'runner-test-'));
  const path = join(dir, 'conn.json');
  await writeFile(path, JSON.stringify({
    source: { connector: join(fixtures, 'fake-source.mjs'), config: sourceConfig },
    destination: { connector: join(fixtures, 'fake-destination.mjs'), config: destConfig },
  }));
  return { dir, path, statePath: join(dir, 'conn.state.json') };
}
const readState = async (p: string) => JSON.parse(await readFile(p, 'utf8'));
const lastOf = (s: { states: { stream: { stream_descriptor: { name: string }; stream_state: { last: number } } }[] }) => s.states.find((x) => x.stream.stream_descriptor.name === 'events')?.stream.stream_state.last;

test('states are saved only from destination echoes, and fed to the next run', async () => {
  const c = await connection({ records: 3 }, { echo: 2 });
  const err = sink();
  assert.equal(await main(['--connection', c.path], { stderr: err }), 0);
  const s1 = await readState(c.statePath);
  assert.equal(lastOf(s1), 2, 'only the two echoed states count, not the third the source sent');
  assert.equal(s1.states[0].destinationStats, undefined);
  const c2log = join(c.dir, 'dest.log');
  await writeFile(c.path, JSON.stringify({ ...JSON.parse(await readFile(c.path, 'utf8')), destination: { connector: join(fixtures, 'fake-destination.mjs'), config: { log: c2log } } }));
  const err2 = sink();
  assert.equal(await main(['--connection', c.path], { stderr: err2 }), 0);
  assert.match(err2.text, /got state last=2/);
  assert.equal(lastOf(await readState(c.statePath)), 5);
  assert.match(err2.text, /sync 1 done .* 3 records/);
});

test('a failed destination leaves the previous state file intact and exits non-zero with its message', async () => {
  const c = await connection({ records: 3 }, {});
  assert.equal(await main(['--connection', c.path], { stderr: sink() }), 0);
  const before = await readState(c.statePath);
  await writeFile(c.path, JSON.stringify({ ...JSON.parse(await readFile(c.path, 'utf8')), destination: { connector: join(fixtures, 'fake-destination.mjs'), config: { fail_before_echo: true } } }));
  const err = sink();
  assert.equal(await main(['--connection', c.path], { stderr: err }), 1);
  assert.match(err.text, /destination: bucket: disk full/);
  const after = await readState(c.statePath);
  assert.deepEqual(after.states, before.states);
});

test('a source TRACE error is passed through and the run fails, keeping states echoed before it', async () => {
  const c = await connection({ records: 2, trace: 'cio: the App API key was rejected; try region EU' }, {});
  const err = sink();
  assert.equal(await main(['--connection', c.path], { stderr: err }), 1);
  assert.match(err.text, /source: cio: the App API key was rejected; try region EU/);
  assert.equal(lastOf(await readState(c.statePath)), 2);
});

test('a second sync of the same connection is refused while one holds the lock', async () => {
  const c = await connection({ records: 1 }, {});
  const release = await acquireLock(`${c.statePath}.lock`);
  const err = sink();
  try {
    assert.equal(await main(['--connection', c.path], { stderr: err }), 3);
    assert.match(err.text, /another sync of this connection is running/);
  } finally {
    await release();
  }
  assert.equal(await main(['--connection', c.path], { stderr: sink() }), 0);
});

test('interval mode runs repeatedly', async () => {
  const c = await connection({ records: 1 }, {});
  const err = sink();
  assert.equal(await main(['--connection', c.path, '--every', '300ms', '--times', '2'], { stderr: err }), 0);
  assert.match(err.text, /sync 1 done/);
  assert.match(err.text, /sync 2 done/);
  assert.equal(lastOf(await readState(c.statePath)), 2);
});

test('secrets can come from the environment', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'runner-env-'));
  const log = join(dir, 'log');
  const path = join(dir, 'conn.json');
  await writeFile(path, JSON.stringify({
    source: { connector: join(fixtures, 'fake-source.mjs'), config: { records: 1, key: '${TEST_SECRET}' } },
    destination: { connector: join(fixtures, 'fake-destination.mjs'), config: { log } },
  }));
  const err = sink();
  assert.equal(await main(['--connection', path], { stderr: err, env: { ...process.env } }), 2);
  assert.match(err.text, /TEST_SECRET, which is not set/);
  assert.equal(await main(['--connection', path], { stderr: sink(), env: { ...process.env, TEST_SECRET: 'abc' } }), 0);
});

test('durations and catalog choices', () => {
  assert.equal(parseDuration('15m'), 900_000);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.throws(() => parseDuration('soon'), /invalid duration/);
  const discovered = { streams: [
    { name: 'a', json_schema: {}, supported_sync_modes: ['full_refresh' as const, 'incremental' as const], default_cursor_field: ['t'] },
    { name: 'b', json_schema: {}, supported_sync_modes: ['full_refresh' as const] },
  ] };
  const { catalog, generations } = configureCatalog(discovered, { syncId: 7, generations: { b: 2 } });
  assert.deepEqual(catalog.streams.map((s) => [s.stream.name, s.sync_mode, s.destination_sync_mode, s.generation_id, s.minimum_generation_id, s.sync_id]),
    [['a', 'incremental', 'append', 0, 0, 7], ['b', 'full_refresh', 'overwrite', 3, 3, 7]]);
  assert.deepEqual(generations, { a: 0, b: 3 });
  assert.throws(() => configureCatalog(discovered, { syncId: 1, generations: {}, streams: ['zzz'] }), /not offered/);
});

test('a large sync under backpressure delivers everything and leaks no listeners', async () => {
  const c = await connection({ records: 60_000 }, {});
  const warnings: string[] = [];
  const onWarning = (w: Error) => { warnings.push(w.name); };
  process.on('warning', onWarning);
  try {
    assert.equal(await main(['--connection', c.path], { stderr: sink() }), 0);
  } finally {
    process.off('warning', onWarning);
  }
  assert.equal(lastOf(await readState(c.statePath)), 60_000);
  assert.deepEqual(warnings.filter((w) => w === 'MaxListenersExceededWarning'), []);
});
