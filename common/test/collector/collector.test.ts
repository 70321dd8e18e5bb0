// The shared collector machinery: the HTTP skeleton (healthz, error mapping, drain), body limits and
// gzip, group commit over a real folder store, spool batches (damaged objects skipped), the read cache.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  CollectorServer, HttpError, LocalFolderStore, parseJson, readBody, sendJson, silentLogger, spoolBatches, SpoolObjectCache,
  SpoolWriter, systemClock, spoolKey,
} from '../../src/index.js';

async function folder(): Promise<LocalFolderStore> {
  return new LocalFolderStore(await mkdtemp(join(tmpdir(), 'common-collector-')), { domain: 'spool' });
}

test('skeleton: healthz, HttpError → status, body limit 413, gzip, unexpected → 500, drain waits for requests', async () => {
  let release: () => void = () => {};
  const server = new CollectorServer({
    host: '127.0.0.1', port: 0, shutdownTimeoutMs: 5000, logger: silentLogger, name: 'test',
    handle: async (req, res, path) => {
      if (path === '/slow') { await new Promise<void>((r) => { release = r; }); return sendJson(res, 200, { slow: true }); }
      if (path === '/boom') throw new Error('boom');
      if (server.draining) throw new HttpError(503, 'draining');
      const body = parseJson(await readBody(req, 100, 'body'), 'body');
      if (typeof body !== 'object' || body === null) throw new HttpError(400, 'body: must be an object');
      sendJson(res, 200, body);
    },
  });
  const { url } = await server.listen();
  assert.deepEqual(await (await fetch(`${url}/healthz`)).json(), { status: 'ok' });
  const ok = await fetch(`${url}/x`, { method: 'POST', body: gzipSync('{"a":1}'), headers: { 'content-encoding': 'gzip' } });
  assert.deepEqual([ok.status, await ok.json()], [200, { a: 1 }]);
  const big = await fetch(`${url}/x`, { method: 'POST', body: JSON.stringify({ a: 'x'.repeat(200) }) });
  assert.equal(big.status, 413);
  assert.match(((await big.json()) as { error: string }).error, /limit of 100 bytes/);
  const bad = await fetch(`${url}/x`, { method: 'POST', body: '{"a":' });
  assert.deepEqual([bad.status, ((await bad.json()) as { error: string }).error.slice(0, 18)], [400, 'body: invalid JSON']);
  assert.equal((await fetch(`${url}/boom`)).status, 500);
  const slow = fetch(`${url}/slow`);
  await new Promise((r) => setTimeout(r, 50));
  const closing = server.close();
  assert.equal(server.draining, true);
  release();
  assert.equal((await slow).status, 200, 'a request in flight finishes during shutdown');
  await closing;
});

test('group commit writes concurrent appends as one object; spoolBatches skips a damaged object; cache decodes once', async () => {
  const store = await folder();
  const writer = new SpoolWriter({ store, clock: systemClock, logger: silentLogger, writerId: 'w', maxWriteMs: 10_000, windowMs: 20, maxCalls: 1000, maxBytes: 1 << 20, maxConcurrentWrites: 2, maxPendingBytes: 1 << 20 });
  await Promise.all([writer.append(['{"n":1}']), writer.append(['{"n":2}', '{"n":3}'])]);
  await writer.close();
  assert.deepEqual(writer.stats.objects, 1);
  // A torn object (as an interrupted non-atomic write could leave) sorts after it.
  const torn = spoolKey(Date.now() + 1000, 'x', 0);
  await store.putNew(torn, gzipSync('{"spool":1,"count":5,"sha256":"00"}\n{"n":9}\n'));
  const warnings: string[] = [];
  const batches = [];
  for await (const b of spoolBatches(store, { beforeMs: Date.now() + 60_000 }, { ...silentLogger, warn: (m: string) => warnings.push(m) })) batches.push(b);
  assert.deepEqual(batches.map((b) => b.lines), [['{"n":1}', '{"n":2}', '{"n":3}'], []]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /damaged \(sha256 mismatch\)/);
  const cache = new SpoolObjectCache((lines) => lines.length);
  const key = batches[0]!.key;
  assert.equal(await cache.get(store, key), 3);
  assert.equal(await cache.get(store, key), 3);
  assert.deepEqual(cache.stats, { hits: 1, misses: 1 });
  const none = new SpoolObjectCache((lines) => lines.length, 0);
  await none.get(store, key); await none.get(store, key);
  assert.deepEqual(none.stats, { hits: 0, misses: 2 }, 'a zero budget caches nothing');
  await store.close();
});
