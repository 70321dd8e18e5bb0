// Integration tests against a real S3-compatible server (s3rver + conditional-write shim).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ManualClock, S3Store } from '@cio-dw/common';
import { startS3TestServer, type S3TestServer } from '@cio-dw/testkit';
import type { BucketConfig } from '../src/config.js';
import { downloadAll, lit, runCli, runWrite, sql, tempDir } from './helpers.js';
import { bigCustomers, catalog, interleaved } from './two-streams.js';

let srv: S3TestServer;
before(async () => { srv = await startS3TestServer({ buckets: ['dw'] }); });
after(async () => { await srv?.close(); });

const s3config = (prefix: string, format: BucketConfig['format'] = { format_type: 'parquet' }): BucketConfig => ({
  store: {
    store_type: 's3', bucket: 'dw', prefix, region: srv.region, endpoint: srv.endpoint, path_style: true,
    access_key_id: srv.accessKeyId, secret_access_key: srv.secretAccessKey,
  },
  format,
});
const storeFor = (prefix: string) => new S3Store({ bucket: 'dw', prefix, ...srv.s3Options });

async function objects(prefix: string): Promise<Map<string, string | undefined>> {
  const st = storeFor(prefix);
  const out = new Map<string, string | undefined>();
  for await (const o of st.list('')) out.set(o.key, (await st.head(o.key))?.etag);
  await st.close();
  return out;
}
/** Downloads data objects and returns DuckDB rows of `select` over all of them. */
async function readAll(prefix: string, select: string, tail = ''): Promise<Record<string, unknown>[]> {
  const st = storeFor(prefix);
  const paths = await downloadAll(st, 'parquet');
  await st.close();
  if (!paths.length) return [];
  return sql(`SELECT ${select} FROM read_parquet([${paths.map(lit).join(',')}], union_by_name=true) ${tail}`);
}

test('multi-stream interleaved records and states; a second write to the same prefix only adds objects', async () => {
  const first = await runWrite(s3config('multi'), catalog, interleaved(0, 200));
  assert.equal(first.code, 0, JSON.stringify(first.messages.filter((m) => m.type === 'TRACE')));
  const states = first.messages.filter((m) => m.type === 'STATE');
  assert.equal(states.length, 8);
  assert.deepEqual(states.map((s) => [s.state.stream.stream_descriptor.name, s.state.destinationStats.recordCount]).slice(0, 2),
    [['deliveries', 50], ['customers', 17]]);
  const before1 = await objects('multi');
  const dataKeys = [...before1.keys()].filter((k) => !k.startsWith('_manifests/'));
  assert.deepEqual(new Set(dataKeys.map((k) => k.split('/')[0])), new Set(['deliveries', 'customers']));

  const second = await runWrite(s3config('multi'), catalog, interleaved(200, 300));
  assert.equal(second.code, 0);
  const after2 = await objects('multi');
  for (const [k, etag] of before1) assert.equal(after2.get(k), etag, `object ${k} unchanged`);
  assert.ok(after2.size > before1.size);

  const d = await readAll('multi', 'count(*)::INT AS n, count(DISTINCT id)::INT AS ids, typeof(any_value("at")) AS t, typeof(any_value(n)) AS tn');
  // union_by_name: customers rows have NULL n/at; count by id prefix instead
  const byStream = await readAll('multi', "substr(id, 1, 1) AS s, count(*)::INT AS n", 'GROUP BY ALL ORDER BY s');
  assert.deepEqual(byStream, [{ s: 'c', n: 100 }, { s: 'd', n: 300 }]);
  assert.equal(d[0]!.ids, 400);
  assert.equal(d[0]!.t, 'TIMESTAMP WITH TIME ZONE');
  assert.equal(d[0]!.tn, 'BIGINT');
});

test('an existing key is never replaced: 412 makes the write fail and echoes no state for it', async () => {
  const clock = new ManualClock(1_800_000_000_000);
  const deps = { random: () => 0.25 };
  const first = await runWrite(s3config('collide'), catalog, interleaved(0, 50), deps, clock);
  assert.equal(first.code, 0);
  const before1 = await objects('collide');
  clock.set(1_800_000_000_000); // same clock and random: the same sequence, so the same keys
  const second = await runWrite(s3config('collide'), catalog, interleaved(0, 50), deps, clock);
  assert.equal(second.code, 1);
  const trace = second.messages.find((m) => m.type === 'TRACE');
  assert.match(trace!.trace.error.message, /already exists.*refusing to overwrite/);
  assert.equal(second.messages.filter((m) => m.type === 'STATE').length, 0);
  assert.ok(((await srv.requests()).PreconditionFailed ?? 0) >= 1);
  assert.deepEqual(await objects('collide'), before1);
});

test('large files use multipart uploads and read back intact', async () => {
  await srv.resetRequests();
  const r = await runWrite(s3config('multipart', { format_type: 'csv', compression: 'none' }), catalog, bigCustomers('x'.repeat(4000)));
  assert.equal(r.code, 0);
  const req = await srv.requests();
  assert.ok((req.UploadPart ?? 0) >= 2, JSON.stringify(req));
  assert.equal(req.CompleteMultipartUpload, 1);
  const st = storeFor('multipart');
  const keys: string[] = [];
  for await (const o of st.list('customers/')) keys.push(o.key);
  assert.equal(keys.length, 1);
  const dir = await tempDir('dbk-dl-');
  await writeFile(join(dir, 'c.csv'), await st.get(keys[0]!));
  await st.close();
  const rows = await sql(`SELECT count(*)::INT AS n, min(length(email))::INT AS l FROM read_csv(${lit(join(dir, 'c.csv'))}, header=true)`);
  assert.deepEqual(rows, [{ n: 3000, l: 4001 }]);
});

test('a failed upload is aborted and the TRACE names what failed: no object, no pending multipart upload, no state', async () => {
  await srv.injectFault({ operation: 'UploadPart', status: 500, code: 'InternalError', times: 50 });
  // 48 MB: more parts than the upload keeps in flight (2 × 8 MiB), so the file is still being read
  // when the first part fails. lib-storage then stops its reader, and Node destroys the stream under
  // it with "The operation was aborted": that must not replace the server's answer.
  const r = await runWrite(s3config('abort', { format_type: 'csv', compression: 'none' }), catalog, bigCustomers('y'.repeat(4000), 12_000));
  await srv.clearFaults();
  assert.equal(r.code, 1);
  const error = r.messages.find((m) => m.type === 'TRACE' && m.trace.type === 'ERROR')?.trace.error;
  assert.equal(error?.failure_type, 'transient_error');
  assert.match(error?.message ?? '', /S3 answered InternalError \(HTTP 500\)/);
  assert.doesNotMatch(JSON.stringify(error), /operation was aborted/);
  assert.equal(r.messages.filter((m) => m.type === 'STATE').length, 0);
  assert.deepEqual(await srv.pendingUploads('dw'), []);
  const keys = [...(await objects('abort')).keys()];
  assert.deepEqual(keys.filter((k) => !k.startsWith('_manifests/')), []);
});

test('check: succeeds and leaves nothing behind; specific failures for a missing bucket and bad keys', async () => {
  const ok = await runCli(['check'], { config: s3config('chk') });
  assert.deepEqual(ok.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus, { status: 'SUCCEEDED' });
  assert.equal((await objects('chk')).size, 0);
  const missing = s3config('chk');
  (missing.store as { bucket: string }).bucket = 'no-such-bucket';
  const m = await runCli(['check'], { config: missing });
  const st = m.messages.find((x) => x.type === 'CONNECTION_STATUS')?.connectionStatus;
  assert.equal(st.status, 'FAILED');
  assert.match(st.message, /bucket "no-such-bucket" does not exist/);
  const badKey = s3config('chk');
  (badKey.store as { access_key_id: string }).access_key_id = 'WRONGKEY';
  const b = await runCli(['check'], { config: badKey });
  const bs = b.messages.find((x) => x.type === 'CONNECTION_STATUS')?.connectionStatus;
  assert.equal(bs.status, 'FAILED');
  assert.match(bs.message, /access key ID/);
  assert.ok(!JSON.stringify(b.messages).includes(srv.secretAccessKey));
});
