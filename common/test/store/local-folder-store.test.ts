import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { LocalFolderStore } from '../../src/store/local-folder-store.js';
import { InvalidKeyError, ObjectExistsError, ObjectNotFoundError, type ObjectStore } from '../../src/store/object-store.js';
import { ConfigError } from '../../src/errors.js';

async function collect(store: ObjectStore, prefix: string, opts = {}): Promise<string[]> {
  const out: string[] = [];
  for await (const o of store.list(prefix, opts)) out.push(o.key);
  return out;
}
async function allFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name);
}

describe('LocalFolderStore', () => {
  let root: string;
  before(async () => { root = await mkdtemp(join(tmpdir(), 'lfs-')); });
  after(async () => { await rm(root, { recursive: true, force: true }); });
  const fresh = async (): Promise<LocalFolderStore> => new LocalFolderStore(await mkdtemp(join(root, 's-')));

  it('creates objects in new sub-folders and reads them back', async () => {
    const s = await fresh();
    const r = await s.putNew('a/b/c.txt', Buffer.from('hello'));
    assert.deepEqual(r, { key: 'a/b/c.txt', bytes: 5 });
    assert.equal(Buffer.from(await s.get('a/b/c.txt')).toString(), 'hello');
    const h = await s.head('a/b/c.txt');
    assert.equal(h?.size, 5);
    assert.ok(h?.lastModified instanceof Date);
    assert.equal(await s.head('a/b/missing'), undefined);
    assert.equal(await s.head('a/b'), undefined, 'a folder is not an object');
    await assert.rejects(s.get('a/nope'), ObjectNotFoundError);
    await assert.rejects(s.getStream('a/nope'), ObjectNotFoundError);
    const chunks: Buffer[] = [];
    for await (const c of await s.getStream('a/b/c.txt')) chunks.push(c as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), 'hello');
    assert.match(s.describe(), /^local folder \//);
  });

  it('accepts Readable and async-iterable bodies and counts bytes', async () => {
    const s = await fresh();
    const r1 = await s.putNew('r.bin', Readable.from([Buffer.alloc(1000, 1), Buffer.alloc(24, 2)]));
    assert.equal(r1.bytes, 1024);
    async function* gen(): AsyncGenerator<Uint8Array> { for (let i = 0; i < 10; i++) yield new Uint8Array(100).fill(i); }
    const r2 = await s.putNew('g.bin', gen());
    assert.equal(r2.bytes, 1000);
    const g = await s.get('g.bin');
    assert.equal(g.length, 1000);
    assert.equal(g[999], 9);
  });

  it('refuses to overwrite: ObjectExistsError, content unchanged', async () => {
    const s = await fresh();
    await s.putNew('x/y.json', Buffer.from('first'));
    await assert.rejects(s.putNew('x/y.json', Buffer.from('second')), (e: unknown) => {
      assert.ok(e instanceof ObjectExistsError);
      assert.equal(e.key, 'x/y.json');
      assert.match(e.message, /^folder: object "x\/y.json" already exists/);
      return true;
    });
    assert.equal(Buffer.from(await s.get('x/y.json')).toString(), 'first');
    assert.deepEqual(await allFiles(s.root), ['y.json'], 'no temp files left behind');
  });

  it('concurrent putNew of the same key: exactly one wins', async () => {
    const s = await fresh();
    const n = 16;
    const results = await Promise.allSettled(Array.from({ length: n }, (_, i) =>
      s.putNew('race/k', Readable.from([Buffer.from(`writer-${i}-`), Buffer.alloc(10000, i)]))));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    assert.equal(ok.length, 1);
    assert.equal(lost.length, n - 1);
    for (const r of lost) assert.ok((r as PromiseRejectedResult).reason instanceof ObjectExistsError);
    const winner = Buffer.from(await s.get('race/k')).toString().slice(0, 10);
    assert.match(winner, /^writer-\d+-/);
    assert.deepEqual(await allFiles(s.root), ['k']);
  });

  it('a body that fails midway leaves no object and no temp file', async () => {
    const s = await fresh();
    async function* bad(): AsyncGenerator<Uint8Array> { yield Buffer.alloc(5000); throw new Error('boom from body'); }
    await assert.rejects(s.putNew('f/a.bin', bad()), /boom from body/);
    assert.equal(await s.head('f/a.bin'), undefined);
    assert.deepEqual(await allFiles(s.root), []);
    const ac = new AbortController();
    async function* slow(): AsyncGenerator<Uint8Array> { yield Buffer.alloc(10); ac.abort(); yield Buffer.alloc(10); }
    await assert.rejects(s.putNew('f/b.bin', slow(), { signal: ac.signal }), { name: 'AbortError' });
    assert.deepEqual(await allFiles(s.root), []);
  });

  it('never lists temp files (a crash leftover) and keys cannot use the temp prefix', async () => {
    const s = await fresh();
    await s.putNew('d/real', Buffer.from('1'));
    await writeFile(join(s.root, 'd', '.tmp-crashed'), 'partial');
    await writeFile(join(s.root, '.tmp-2'), 'partial');
    assert.deepEqual(await collect(s, ''), ['d/real']);
    await assert.rejects(s.putNew('d/.tmp-x', Buffer.from('1')), InvalidKeyError);
  });

  it('lists in lexicographic order of the full key across folders, with prefix, startAfter and limit', async () => {
    const s = await fresh();
    const keys = ['a/b', 'a-c', 'a/a/z', 'ab', 'a', 'b/1', 'b/10', 'b/2', 'a.x/y', 'Z', 'é', 'a/b0'];
    // ('a' as a file and 'a/' as a folder cannot coexist on a filesystem; use 'a0' instead of 'a')
    const use = keys.map((k) => (k === 'a' ? 'a0' : k));
    for (const k of use) await s.putNew(k, Buffer.from(k));
    const sorted = [...use].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    assert.deepEqual(await collect(s, ''), sorted);
    assert.deepEqual(await collect(s, 'a/'), ['a/a/z', 'a/b', 'a/b0']);
    assert.deepEqual(await collect(s, 'a'), sorted.filter((k) => k.startsWith('a')));
    assert.deepEqual(await collect(s, 'b/1'), ['b/1', 'b/10']);
    assert.deepEqual(await collect(s, 'nope/'), []);
    // paging: pages of 3 chained with startAfter give the full list
    const paged: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await collect(s, '', { limit: 3, ...(after !== undefined ? { startAfter: after } : {}) });
      if (page.length === 0) break;
      assert.ok(page.length <= 3);
      paged.push(...page);
      after = page[page.length - 1];
    }
    assert.deepEqual(paged, sorted);
    assert.deepEqual(await collect(s, '', { startAfter: 'a/a' }), sorted.filter((k) => Buffer.compare(Buffer.from(k), Buffer.from('a/a')) > 0));
    assert.deepEqual(await collect(s, 'b/', { startAfter: 'b/10' }), ['b/2']);
    const info = [];
    for await (const o of s.list('b/2')) info.push(o);
    assert.equal(info[0]?.size, 3);
  });

  it('delete removes the object and empty folders, and is idempotent', async () => {
    const s = await fresh();
    await s.putNew('p/q/r', Buffer.from('1'));
    await s.putNew('p/keep', Buffer.from('1'));
    await s.delete('p/q/r');
    await s.delete('p/q/r');
    assert.equal(await s.head('p/q/r'), undefined);
    assert.deepEqual(await readdir(join(s.root, 'p')), ['keep']);
    await s.putNew('p/q/r', Buffer.from('again'));
    assert.equal(Buffer.from(await s.get('p/q/r')).toString(), 'again');
  });

  it('rejects keys that could escape the root', async () => {
    const s = await fresh();
    const bad = ['', '../x', 'a/../../x', '/etc/passwd', 'a/./b', 'a//b', 'a/', 'a\\b', 'a\0b', 'a\nb', 'a\x7fb', 'C:/x', '..', '.', 'x/..', 'a\uD800b', 'a'.repeat(1025)];
    for (const k of bad) {
      await assert.rejects(s.putNew(k, Buffer.from('1')), InvalidKeyError, JSON.stringify(k));
      await assert.rejects(s.get(k), InvalidKeyError);
      await assert.rejects(s.head(k), InvalidKeyError);
      await assert.rejects(s.delete(k), InvalidKeyError);
    }
    for (const p of ['../', '/a', 'a/../', 'a\\', 'a\0']) {
      await assert.rejects(collect(s, p), InvalidKeyError, JSON.stringify(p));
    }
    await assert.rejects(s.putNew(`${'x'.repeat(256)}`, Buffer.from('1')), InvalidKeyError);
    assert.deepEqual(await allFiles(s.root), []);
  });

  it('maps a file in the way of the folder to a ConfigError', async () => {
    const file = join(root, 'afile');
    await writeFile(file, 'x');
    const s = new LocalFolderStore(file);
    await assert.rejects(s.putNew('a/b', Buffer.from('1')), ConfigError);
  });
});
