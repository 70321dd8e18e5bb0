import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../../src/clock.js';
import { TransientError } from '../../src/errors.js';
import { HttpClient } from '../../src/http/client.js';
import { fetchTransport, toNetworkError } from '../../src/http/fetch-transport.js';
import { NetworkError } from '../../src/http/transport.js';

let server: Server;
let base: string;
const hits = new Map<string, number>();
const seen: { method: string; url: string; auth: string | undefined; body: string }[] = [];

function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
  const path = (req.url ?? '/').split('?')[0]!;
  const n = (hits.get(path) ?? 0) + 1;
  hits.set(path, n);
  seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
  switch (path) {
    case '/ok':
      res.writeHead(200, { 'content-type': 'application/json', 'X-Custom': 'Yes' });
      res.end(JSON.stringify({ hello: 'world', n }));
      return;
    case '/echo':
      res.writeHead(201, { 'content-type': 'text/plain' });
      res.end(`${req.method} ${body}`);
      return;
    case '/drop-once': // the connection dies before any response, then the server recovers
      if (n === 1) { req.socket.destroy(); return; }
      res.writeHead(200).end('recovered');
      return;
    case '/drop-mid-body-once': // headers and half a body, then the socket dies
      if (n === 1) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"partial":');
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"complete":true}');
      return;
    case '/slow':
      setTimeout(() => { if (!res.destroyed) res.writeHead(200).end('late'); }, 2000).unref();
      return;
    case '/limited':
      if (n === 1) { res.writeHead(429, { 'retry-after': '1' }).end('{"errors":[{"detail":"rate limited","status":"429"}]}'); return; }
      res.writeHead(200).end('{}');
      return;
    default:
      res.writeHead(503).end();
  }
}

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const transport = fetchTransport({ timeoutMs: 5000 });

test('GET returns status, lower-case headers and a JSON body; request headers are sent', async () => {
  const res = await transport.request({ method: 'GET', url: `${base}/ok?x=1`, headers: { Authorization: 'Bearer t0k3n' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-custom'), 'Yes');
  assert.equal(res.headers.get('X-CUSTOM'), 'Yes');
  assert.deepEqual(await res.json(), { hello: 'world', n: hits.get('/ok') });
  assert.equal(await res.text(), JSON.stringify({ hello: 'world', n: hits.get('/ok') }), 'the body can be read more than once');
  assert.equal(seen.at(-1)?.auth, 'Bearer t0k3n');
  assert.equal(seen.at(-1)?.url, '/ok?x=1');
});

test('POST sends string and byte bodies; statuses are returned, not thrown', async () => {
  const a = await transport.request({ method: 'POST', url: `${base}/echo`, body: '{"a":1}', headers: { 'content-type': 'application/json' } });
  assert.equal(a.status, 201);
  assert.equal(await a.text(), 'POST {"a":1}');
  const b = await transport.request({ method: 'PUT', url: `${base}/echo`, body: new TextEncoder().encode('bytes') });
  assert.equal(await b.text(), 'PUT bytes');
  const c = await transport.request({ method: 'GET', url: `${base}/nothing-here` });
  assert.equal(c.status, 503);
});

test('a dropped connection is a connection_reset NetworkError', async () => {
  hits.delete('/drop-once');
  await assert.rejects(transport.request({ method: 'GET', url: `${base}/drop-once` }), (e: unknown) => {
    assert.ok(e instanceof NetworkError, String(e));
    assert.equal(e.code, 'connection_reset');
    assert.ok(!e.message.includes('127.0.0.1'));
    return true;
  });
});

test('a connection dropped mid-body is a NetworkError from request(), not from json()', async () => {
  hits.delete('/drop-mid-body-once');
  await assert.rejects(transport.request({ method: 'GET', url: `${base}/drop-mid-body-once` }),
    (e: unknown) => e instanceof NetworkError && e.code === 'connection_reset');
});

test('timeouts and refused connections are typed', async () => {
  await assert.rejects(transport.request({ method: 'GET', url: `${base}/slow`, timeoutMs: 100 }),
    (e: unknown) => e instanceof NetworkError && e.code === 'timeout');
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await assert.rejects(transport.request({ method: 'GET', url: `http://127.0.0.1:${port}/` }),
    (e: unknown) => e instanceof NetworkError && e.code === 'connection_refused');
});

test('an abort rejects with the caller\'s reason, and a bad URL is not a network error', async () => {
  const ctl = new AbortController();
  const reason = new Error('user cancelled');
  const p = transport.request({ method: 'GET', url: `${base}/slow`, signal: ctl.signal });
  setTimeout(() => ctl.abort(reason), 20);
  await assert.rejects(p, (e) => e === reason);
  await assert.rejects(transport.request({ method: 'GET', url: 'not a url' }), (e: unknown) => !(e instanceof NetworkError));
});

test('toNetworkError maps undici and node error shapes', () => {
  const wrap = (cause: object) => Object.assign(new TypeError('fetch failed'), { cause });
  assert.equal(toNetworkError(wrap({ code: 'ECONNRESET' }))?.code, 'connection_reset');
  assert.equal(toNetworkError(wrap({ code: 'UND_ERR_SOCKET', message: 'other side closed' }))?.code, 'connection_reset');
  assert.equal(toNetworkError(wrap({ code: 'UND_ERR_HEADERS_TIMEOUT' }))?.code, 'timeout');
  assert.equal(toNetworkError(wrap({ code: 'UND_ERR_CONNECT_TIMEOUT' }))?.code, 'timeout');
  assert.equal(toNetworkError(wrap({ code: 'ENOTFOUND' }))?.code, 'dns');
  assert.equal(toNetworkError(wrap({ code: 'CERT_HAS_EXPIRED' }))?.code, 'tls');
  assert.equal(toNetworkError(wrap({ message: 'socket hang up' }))?.code, 'connection_reset');
  assert.equal(toNetworkError(new TypeError('terminated'))?.code, 'connection_reset');
  assert.equal(toNetworkError(wrap({ code: 'SOMETHING_NEW' }))?.code, 'other');
  assert.equal(toNetworkError(new TypeError('Failed to parse URL from x')), undefined);
  assert.equal(toNetworkError(new RangeError('nope')), undefined);
});

test('HttpClient over fetchTransport retries a dropped connection, a mid-body drop and a 429', async () => {
  for (const p of ['/drop-once', '/drop-mid-body-once', '/limited']) hits.delete(p);
  const client = new HttpClient({ transport, prefix: 'cio', clock: new ManualClock(0), random: () => 0 });
  assert.equal(await (await client.request({ method: 'GET', url: `${base}/drop-once` })).text(), 'recovered');
  assert.deepEqual(await (await client.request({ method: 'GET', url: `${base}/drop-mid-body-once` })).json(), { complete: true });
  assert.equal((await client.request({ method: 'GET', url: `${base}/limited` })).status, 200);
  assert.deepEqual(client.stats, { requests: 6, retries: 3, rateLimited: 1, networkErrors: 2, ignored: 0 });
  const failing = new HttpClient({ transport, prefix: 'cio', clock: new ManualClock(0), maxRetries: 2 });
  await assert.rejects(failing.request({ method: 'GET', url: `${base}/always-503?token=s3cr3tvalue` }),
    (e: unknown) => e instanceof TransientError && !e.message.includes('s3cr3tvalue') && e.message.includes('GET /always-503'));
});
