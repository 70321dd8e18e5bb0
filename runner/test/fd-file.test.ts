// Configs reach connectors as /dev/fd/N of files without a name; the catalog the sync used is kept
// beside the state file for the warehouse loaders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { catalogPathFor, mergeCatalogs } from '../src/catalog-file.js';
import { openUnnamedFile, unnamedFileDirs } from '../src/fd-file.js';
import { main } from '../src/main.js';

async function readInChild(fd: number): Promise<string> {
  const child = spawn(process.execPath, ['-e', 'process.stdout.write(require("fs").readFileSync("/dev/fd/3", "utf8"))'], { stdio: ['ignore', 'pipe', 'inherit', fd] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  await once(child, 'close');
  return out;
}

test('an unnamed file is read by the child through /dev/fd/3, also when large; the fallback leaves no name either', async () => {
  const text = JSON.stringify({ app_api_key: 'secret', pad: 'x'.repeat(200_000) });
  for (const dirs of [unnamedFileDirs(), [] as string[]]) {
    const before = (await readdir(tmpdir())).filter((n) => n.startsWith('cio-sync-')).length;
    const fd = openUnnamedFile(text, dirs);
    try {
      assert.equal(await readInChild(fd), text);
    } finally {
      closeSync(fd);
    }
    assert.equal((await readdir(tmpdir())).filter((n) => n.startsWith('cio-sync-')).length, before, 'no folder left in the temp directory');
  }
});

test('the configured catalog is written beside the state file; streams left out later keep their entry', async () => {
  assert.equal(catalogPathFor('/a/conn.state.json'), '/a/conn.catalog.json');
  assert.equal(catalogPathFor('/a/state'), '/a/state.catalog.json');
  const s = (name: string, pk: string) => ({ stream: { name, json_schema: {}, supported_sync_modes: ['incremental' as const] }, sync_mode: 'incremental' as const,
    destination_sync_mode: 'append' as const, primary_key: [[pk]] });
  assert.deepEqual(mergeCatalogs({ streams: [s('a', 'old'), s('b', 'id')] }, { streams: [s('a', 'new')] }).streams.map((x) => [x.stream.name, x.primary_key]),
    [['a', [['new']]], ['b', [['id']]]]);

  const dir = await mkdtemp(join(tmpdir(), 'runner-catalog-'));
  const fixtures = new URL('./fixtures/', import.meta.url).pathname;
  const path = join(dir, 'conn.json');
  await writeFile(path, JSON.stringify({ source: { connector: join(fixtures, 'fake-source.mjs'), config: { records: 1 } },
    destination: { connector: join(fixtures, 'fake-destination.mjs'), config: {} } }));
  assert.equal(await main(['--connection', path], { stderr: new Writable({ write(_c, _e, cb) { cb(); } }) }), 0);
  const catalog = JSON.parse(await readFile(join(dir, 'conn.catalog.json'), 'utf8')) as { streams: { stream: { name: string }; cursor_field?: string[]; destination_sync_mode: string }[] };
  assert.deepEqual(catalog.streams.map((x) => [x.stream.name, x.destination_sync_mode, x.cursor_field]), [['events', 'append', ['i']], ['lists', 'overwrite', undefined]]);
});
