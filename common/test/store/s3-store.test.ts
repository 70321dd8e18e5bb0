// S3Store against a real S3-compatible server (s3rver in a child process, with the If-None-Match shim).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { startS3TestServer, type S3TestServer } from '@cio-dw/testkit';
import { S3Store, WRITE_ID_METADATA, type S3StoreOptions } from '../../src/store/s3-store.js';
import { ObjectExistsError, ObjectNotFoundError, InvalidKeyError, type ObjectStore } from '../../src/store/object-store.js';
import { ConfigError, TransientError } from '../../src/errors.js';

const MiB = 1024 * 1024;
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
async function keys(store: ObjectStore, prefix: string, opts = {}): Promise<string[]> {
  const out: string[] = [];
  for await (const o of store.list(prefix, opts)) out.push(o.key);
  return out;
}
/** A deterministic stream of `total` bytes in 1 MiB chunks; optionally fails after `failAfter` bytes. */
function bytesStream(total: number, seed: number, failAfter?: number): Readable {
  return Readable.from((async function* () {
    for (let sent = 0; sent < total; sent += MiB) {
      if (failAfter !== undefined && sent >= failAfter) throw new Error('body failed midway');
      const n = Math.min(MiB, total - sent);
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i += 4096) b[i] = (seed + sent + i) & 0xff;
      yield b;
    }
  })());
}

describe('S3Store against s3rver', () => {
  let srv: S3TestServer;
  let n = 0;
  const store = (extra: Partial<S3StoreOptions> = {}): S3Store =>
    new S3Store({ bucket: srv.bucket ?? 'test-bucket', prefix: `run${++n}/data`, ...srv.s3Options, partSizeBytes: 5 * MiB, queueSize: 2, ...extra });
  before(async () => { srv = await startS3TestServer(); });
  after(async () => { await srv.close(); });

  it('reports an endpoint on 127.0.0.1', () => {
    assert.match(srv.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('put, get, head, getStream, delete under the root prefix', async () => {
    const s = store();
    const r = await s.putNew('a/b.json', Buffer.from('{"x":1}'), { contentType: 'application/json', metadata: { stream: 'people' } });
    assert.equal(r.key, 'a/b.json');
    assert.equal(r.bytes, 7);
    assert.ok(r.etag);
    assert.equal(Buffer.from(await s.get('a/b.json')).toString(), '{"x":1}');
    const h = await s.head('a/b.json');
    assert.equal(h?.size, 7);
    assert.equal(h?.contentType, 'application/json');
    assert.equal(h?.metadata.stream, 'people');
    const chunks: Buffer[] = [];
    for await (const c of await s.getStream('a/b.json')) chunks.push(c as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), '{"x":1}');
    // the object really is under the prefix
    const root = new S3Store({ bucket: s.bucket, ...srv.s3Options });
    assert.deepEqual(await keys(root, `run${n}/`), [`run${n}/data/a/b.json`]);
    await s.delete('a/b.json');
    assert.equal(await s.head('a/b.json'), undefined);
    await assert.rejects(s.get('a/b.json'), ObjectNotFoundError);
    await s.delete('a/b.json'); // idempotent
    await assert.rejects(s.putNew('../escape', Buffer.from('x')), InvalidKeyError);
    assert.match(s.describe(), /^s3:\/\/test-bucket\/run\d+\/data\/ \(region us-east-1, endpoint http:\/\/127/);
    assert.ok(!s.describe().includes(srv.secretAccessKey));
    await s.close(); await root.close();
  });

  it('lists in key order with paging, startAfter and limit', async () => {
    const s = store();
    const ks = ['b/2', 'a/1', 'b/10', 'a-x', 'c', 'b/1', 'a/2/z'];
    for (const k of ks) await s.putNew(k, Buffer.from(k));
    const sorted = [...ks].sort();
    await srv.resetRequests();
    assert.deepEqual(await keys(s, '', { pageSize: 2 }), sorted);
    assert.equal((await srv.requests()).ListObjectsV2, 4, 'seven keys in pages of two');
    assert.deepEqual(await keys(s, 'b/'), ['b/1', 'b/10', 'b/2']);
    assert.deepEqual(await keys(s, '', { startAfter: 'a/2/z', limit: 3, pageSize: 2 }), ['b/1', 'b/10', 'b/2']);
    assert.deepEqual(await keys(s, 'b/', { startAfter: 'b/10' }), ['b/2']);
    const infos = [];
    for await (const o of s.list('c')) infos.push(o);
    assert.equal(infos[0]?.size, 1);
    assert.ok(infos[0]?.lastModified instanceof Date);
    await s.close();
  });

  it('a second put of the same key gets 412 → ObjectExistsError, content unchanged', async () => {
    const s = store();
    await s.putNew('k', Buffer.from('first'));
    await srv.resetRequests();
    await assert.rejects(s.putNew('k', Buffer.from('second')), (e: unknown) => e instanceof ObjectExistsError && e.key === 'k');
    assert.equal((await srv.requests()).PreconditionFailed, 1);
    // streamed bodies below the part size go through lib-storage's single PutObject, also conditional
    await assert.rejects(s.putNew('k', Readable.from([Buffer.from('third')])), ObjectExistsError);
    assert.equal(Buffer.from(await s.get('k')).toString(), 'first');
    await s.close();
  });

  it('concurrent putNew of one key: exactly one wins', async () => {
    const s = store();
    const rs = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => s.putNew('race', Buffer.from(`w${i}`))));
    assert.equal(rs.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of rs) if (r.status === 'rejected') assert.ok(r.reason instanceof ObjectExistsError);
    await s.close();
  });

  it('multipart upload of 11 MiB in 5 MiB parts, then 412 on a multipart collision with the upload aborted', async () => {
    const s = store();
    const total = 11 * MiB;
    const expected = Buffer.concat(await bytesStream(total, 7).toArray());
    await srv.resetRequests();
    const r = await s.putNew('big/one.bin', bytesStream(total, 7));
    assert.equal(r.bytes, total);
    const req = await srv.requests();
    assert.equal(req.CreateMultipartUpload, 1);
    assert.equal(req.UploadPart, 3);
    assert.equal(req.CompleteMultipartUpload, 1);
    assert.equal(sha(await s.get('big/one.bin')), sha(expected));
    // a Buffer above the threshold also goes multipart
    await srv.resetRequests();
    await assert.rejects(s.putNew('big/one.bin', Buffer.alloc(total, 1)), ObjectExistsError);
    const req2 = await srv.requests();
    assert.equal(req2.CompleteMultipartUpload, 1);
    assert.equal(req2.PreconditionFailed, 1);
    assert.equal(req2.AbortMultipartUpload, 1);
    assert.deepEqual(await srv.pendingUploads(s.bucket), []);
    assert.equal(sha(await s.get('big/one.bin')), sha(expected));
    await s.close();
  });

  it('a body that fails midway aborts the multipart upload and leaves no object', async () => {
    const s = store();
    await srv.resetRequests();
    await assert.rejects(s.putNew('big/broken.bin', bytesStream(20 * MiB, 1, 11 * MiB)), /body failed midway/);
    const req = await srv.requests();
    assert.ok((req.UploadPart ?? 0) >= 1, 'parts were uploaded before the failure');
    assert.equal(req.AbortMultipartUpload, 1);
    assert.equal(req.CompleteMultipartUpload, undefined);
    assert.equal(await s.head('big/broken.bin'), undefined);
    const up = await s.client.send(new ListMultipartUploadsCommand({ Bucket: s.bucket }));
    assert.deepEqual(up.Uploads ?? [], []);
    await s.close();
  });

  it('a server failure during a part aborts the upload: TransientError, no object', async () => {
    const s = store({ maxAttempts: 1 });
    await srv.injectFault({ operation: 'UploadPart', status: 500, code: 'InternalError', times: 5 });
    await assert.rejects(s.putNew('big/fail.bin', bytesStream(11 * MiB, 2)), TransientError);
    await srv.clearFaults();
    assert.equal(await s.head('big/fail.bin'), undefined);
    assert.deepEqual(await srv.pendingUploads(s.bucket), []);
    await s.close();
  });

  it('a part that fails while the body is still being read: the server\'s answer is the error, and the upload is aborted', async () => {
    // More parts than the upload keeps in flight: lib-storage stops reading after the failed part and
    // Node destroys the body under it ("The operation was aborted"), which must not hide the cause.
    const s = store({ maxAttempts: 1 });
    await srv.resetRequests();
    await srv.injectFault({ operation: 'UploadPart', status: 403, code: 'AccessDenied', message: 'Access Denied', times: 50 });
    await assert.rejects(s.putNew('big/denied.bin', bytesStream(40 * MiB, 3)), (e: unknown) =>
      e instanceof ConfigError && /lack s3:PutObject/.test(e.message));
    await srv.clearFaults();
    await srv.injectFault({ operation: 'UploadPart', status: 500, code: 'InternalError', times: 50 });
    await assert.rejects(s.putNew('big/failed.bin', bytesStream(40 * MiB, 4)), (e: unknown) =>
      e instanceof TransientError && /S3 answered InternalError \(HTTP 500\)/.test(e.message));
    await srv.clearFaults();
    assert.equal((await srv.requests()).AbortMultipartUpload, 2);
    assert.deepEqual(await srv.pendingUploads(s.bucket), []);
    assert.equal(await s.head('big/denied.bin'), undefined);
    await s.close();
  });

  it('a write that landed but whose answer was lost is recognised on retry, not reported as a collision', async () => {
    const s = store({ maxAttempts: 3 });
    await srv.resetRequests();
    await srv.injectFault({ operation: 'PutObject', after: true });
    const r = await s.putNew('lost-answer', Buffer.from('mine'));
    assert.equal(r.bytes, 4);
    const req = await srv.requests();
    assert.equal(req.PutObject, 2, 'the SDK retried');
    assert.equal(req.PreconditionFailed, 1);
    assert.ok((await s.head('lost-answer'))?.metadata[WRITE_ID_METADATA]);
    await s.close();
  });

  it('maps a missing bucket and unknown credentials to ConfigErrors without secrets', async () => {
    const nb = store({ bucket: 'no-such-bucket' });
    await assert.rejects(nb.putNew('x', Buffer.from('1')), (e: unknown) =>
      e instanceof ConfigError && /^bucket: bucket "no-such-bucket" does not exist in region us-east-1/.test(e.message));
    await assert.rejects(keys(nb, ''), ConfigError);
    // s3rver knows one access key (it does not check V4 signatures, so a wrong secret is not detectable)
    const secret = 'verysecretvalue123';
    const bad = store({ credentials: { accessKeyId: 'AKIAWRONG', secretAccessKey: secret } });
    await assert.rejects(bad.putNew('x', Buffer.from('1')), (e: unknown) =>
      e instanceof ConfigError && /access key ID is not known/.test(e.message) && !e.message.includes(secret) && !(e.internalMessage ?? '').includes(secret));
    await assert.rejects(keys(bad, ''), ConfigError);
    await nb.close(); await bad.close();
  });

  it('maps AccessDenied, wrong region and 5xx answers from the wire', async () => {
    const s = store({ maxAttempts: 1 });
    await srv.injectFault({ operation: 'PutObject', status: 403, code: 'AccessDenied', message: 'Access Denied' });
    await assert.rejects(s.putNew('x', Buffer.from('1')), (e: unknown) =>
      e instanceof ConfigError && /lack s3:PutObject on arn:aws:s3:::test-bucket\/run\d+\/data\/\*/.test(e.message));
    await srv.injectFault({ operation: 'ListObjectsV2', status: 301, code: 'PermanentRedirect', headers: { 'x-amz-bucket-region': 'eu-west-1' } });
    await assert.rejects(keys(s, ''), (e: unknown) => e instanceof ConfigError && /the bucket is in region eu-west-1/.test(e.message));
    await srv.injectFault({ operation: 'HeadObject', status: 301, headers: { 'x-amz-bucket-region': 'eu-west-2' } });
    await assert.rejects(s.head('x'), (e: unknown) => e instanceof ConfigError && /region eu-west-2/.test(e.message));
    await srv.injectFault({ operation: 'GetObject', status: 503, code: 'SlowDown' });
    await assert.rejects(s.get('x'), TransientError);
    await s.close();
  });
});
