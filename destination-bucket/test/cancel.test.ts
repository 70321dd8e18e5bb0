// SIGTERM while a multipart upload is in flight and stdin is still open: the write stops reading at
// once, keeps what is durable, aborts the open upload (no pending multipart upload, no object) and
// ends with a TRACE; no final manifest. Runs the CLI in-process against s3rver.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { runDestinationCli, S3Store } from '@cio-dw/common';
import { startS3TestServer, type S3TestServer } from '@cio-dw/testkit';
import { createDestination } from '../src/destination.js';
import { configured, record, state, tempDir, type Msg } from './helpers.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

let srv: S3TestServer;
before(async () => { srv = await startS3TestServer({ buckets: ['dw'] }); });
after(async () => { await srv?.close(); });

test('SIGTERM mid-upload: prompt exit with a TRACE, the open multipart upload aborted, durable batches kept', async () => {
  await srv.resetRequests();
  const dir = await tempDir('dbk-cancel-');
  const config = {
    store: { store_type: 's3', bucket: 'dw', prefix: 'cancel', region: srv.region, endpoint: srv.endpoint, path_style: true, access_key_id: srv.accessKeyId, secret_access_key: srv.secretAccessKey },
    format: { format_type: 'csv', compression: 'none' },
  };
  const catalog = { streams: [configured('small', { id: { type: 'string' } }), configured('big', { id: { type: 'string' }, pad: { type: 'string' } })] };
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  await writeFile(join(dir, 'catalog.json'), JSON.stringify(catalog));
  const out: Msg[] = [];
  let buf = '';
  const stdout = new Writable({
    write(chunk, _e, cb) {
      buf += chunk.toString();
      for (const l of buf.split('\n').slice(0, -1)) { out.push(JSON.parse(l) as Msg); }
      buf = buf.slice(buf.lastIndexOf('\n') + 1);
      cb();
    },
  });
  // A durable batch first (a state the destination must echo), then enough of a big stream for a
  // multipart upload (> 8 MiB), then nothing more: stdin stays open.
  let uploading: () => void;
  const partSent = new Promise<void>((r) => { uploading = r; });
  const pad = 'z'.repeat(4000);
  async function* input(): AsyncGenerator<string> {
    yield `${record('small', { id: 's1' })}\n${state('small', { n: 1 })}\n`;
    for (let i = 0; i < 3000; i++) yield `${record('big', { id: `b${i}`, pad })}\n`;
    uploading();
    await new Promise(() => undefined); // never ends, like a source that keeps the pipe open
  }
  const run = runDestinationCli(createDestination(), ['write', '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json')],
    { stdout, stdin: Readable.from(input()) });
  await partSent;
  // Wait (by events, not time) until S3 has seen a part of the big file, then cancel.
  while (((await srv.requests()).UploadPart ?? 0) === 0) await new Promise((r) => setTimeout(r, 50));
  process.emit('SIGTERM');
  const code = await run;
  assert.equal(code, 1);
  const trace = out.find((m) => m.type === 'TRACE' && m.trace.type === 'ERROR');
  assert.match(trace!.trace.error.message, /cancelled by a signal/);
  assert.deepEqual(await srv.pendingUploads('dw'), [], 'the open multipart upload was aborted');
  const st = new S3Store({ bucket: 'dw', prefix: 'cancel', ...srv.s3Options });
  const keys: string[] = [];
  for await (const o of st.list('')) keys.push(o.key);
  for (const k of keys.filter((x) => x.startsWith('_manifests/'))) assert.equal(JSON.parse(Buffer.from(await st.get(k)).toString()).final, false, k);
  await st.close();
  assert.deepEqual(keys.filter((k) => k.startsWith('big/')), [], 'no partial object of the aborted upload');
  // Echoed states only ever cover durable data: nothing was flushed before the signal, so none is echoed.
  assert.equal(out.filter((m) => m.type === 'STATE').length, 0);
});
