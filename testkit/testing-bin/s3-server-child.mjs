// Child process for startS3TestServer (testkit/src/s3-server.ts): runs s3rver 3.7.1 on
// 127.0.0.1 (port 0) and adds what real S3 does and s3rver lacks:
//   - If-None-Match: * on PutObject and CompleteMultipartUpload → 412 PreconditionFailed
//     (check and write are serialised per key, so concurrent writers get exactly one winner);
//   - AbortMultipartUpload (DELETE ?uploadId) and ListMultipartUploads (GET /bucket?uploads);
//   - listings in S3's order (UTF-8 byte order of the whole key; s3rver walks folders, so 'a/b'
//     came before 'a-c');
//   - per-operation request counters and injectable faults (before or after the request is
//     handled), driven over IPC by the parent.
// Must run with --openssl-legacy-provider (s3rver's list continuation tokens use DES).
// Parent → child messages: {id, type: 'createBucket'|'stats'|'resetStats'|'fault'|'clearFaults', ...}.
// Child → parent: {type: 'ready', port} then {id, ok, result?|error?} replies.
import { readdirSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import S3rver from 's3rver';

const S3Object = createRequire(import.meta.url)('s3rver/lib/models/object');

const opts = JSON.parse(process.argv[2] ?? '{}');
const send = (m) => { if (process.connected) process.send(m); };
// The parent died or closed the channel: exit rather than linger.
process.on('disconnect', () => process.exit(0));

const srv = new S3rver({
  port: 0, address: '127.0.0.1', silent: true, directory: opts.directory,
  configureBuckets: (opts.buckets ?? []).map((name) => ({ name })),
});

const counts = Object.create(null);
/** @type {Array<{operation: string, key?: string, status: number, code: string, message: string, headers: Record<string,string>, remaining: number}>} */
let faults = [];
const locks = new Map(); // "bucket/key" → promise chain

function operation(ctx, bucket, key) {
  const q = ctx.query; const m = ctx.method;
  if (!bucket) return m === 'GET' ? 'ListBuckets' : `${m}Service`;
  if (!key) {
    if (m === 'PUT') return 'CreateBucket';
    if (m === 'DELETE') return 'DeleteBucket';
    if (m === 'HEAD') return 'HeadBucket';
    if (m === 'POST' && 'delete' in q) return 'DeleteObjects';
    if (m === 'GET' && 'uploads' in q) return 'ListMultipartUploads';
    if (m === 'GET' && 'location' in q) return 'GetBucketLocation';
    if (m === 'GET') return q['list-type'] === '2' ? 'ListObjectsV2' : 'ListObjects';
    return `${m}Bucket`;
  }
  if (m === 'PUT') return 'uploadId' in q ? 'UploadPart' : ctx.get('x-amz-copy-source') ? 'CopyObject' : 'PutObject';
  if (m === 'POST') return 'uploads' in q ? 'CreateMultipartUpload' : 'uploadId' in q ? 'CompleteMultipartUpload' : 'PostObject';
  if (m === 'DELETE') return 'uploadId' in q ? 'AbortMultipartUpload' : 'DeleteObject';
  if (m === 'HEAD') return 'HeadObject';
  if (m === 'GET') return 'uploadId' in q ? 'ListParts' : 'GetObject';
  return `${m}Object`;
}

const xmlEscape = (s) => String(s).replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]);
function xmlError(ctx, status, code, message, extra = '') {
  ctx.status = status; ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message>${extra}<RequestId>s3rver-test</RequestId></Error>`;
}
// Our extra handlers run before s3rver's router (and its auth): leave unknown keys to s3rver.
function knownAccessKey(ctx) {
  const m = /Credential=([^/,\s]+)\//.exec(ctx.get('authorization'));
  return m ? m[1] === (opts.accessKeyId ?? 'S3RVER') : true;
}
async function withKeyLock(id, fn) {
  const prev = locks.get(id) ?? Promise.resolve();
  let release;
  const mine = new Promise((r) => { release = r; });
  const chain = prev.then(() => mine);
  locks.set(id, chain);
  await prev;
  try { return await fn(); } finally {
    release();
    if (locks.get(id) === chain) locks.delete(id);
  }
}
const OBJECT_SUFFIX = '._S3rver_object';
const byteOrder = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
/** All object keys of a bucket that start with `prefix` (folders that cannot match are skipped). */
function keysWithPrefix(bucketPath, prefix) {
  const out = [];
  (function walk(dir, rel) {
    let names;
    try { names = readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const d of names) {
      if (d.isDirectory()) {
        const sub = `${rel}${d.name}/`;
        if (sub.startsWith(prefix) || prefix.startsWith(sub)) walk(join(dir, d.name), sub);
      } else if (d.name.endsWith(OBJECT_SUFFIX)) {
        const key = rel + d.name.slice(0, -OBJECT_SUFFIX.length);
        if (key.startsWith(prefix)) out.push(key);
      }
    }
  })(bucketPath, '');
  return out.sort(byteOrder);
}
srv.store.listObjects = async function listObjects(bucket, options) {
  const { delimiter = '', startAfter = '', prefix = '', maxKeys = Infinity } = options;
  const commonPrefixes = new Set();
  const keys = [];
  let isTruncated = false;
  for (const key of keysWithPrefix(this.getBucketPath(bucket), prefix)) {
    if (byteOrder(key, startAfter) <= 0) continue;
    if (delimiter) {
      const idx = key.slice(prefix.length).indexOf(delimiter);
      if (idx !== -1) { commonPrefixes.add(key.slice(0, prefix.length + idx + delimiter.length)); continue; }
    }
    if (keys.length >= maxKeys) { isTruncated = true; break; }
    keys.push(key);
  }
  const metas = await Promise.all(keys.map((k) => this.getMetadata(bucket, k).catch((e) => { if (e.code === 'ENOENT') return undefined; throw e; })));
  return {
    objects: keys.map((k, i) => [k, metas[i]]).filter(([, m]) => m !== undefined).map(([k, m]) => new S3Object(bucket, k, null, m)),
    commonPrefixes: [...commonPrefixes].sort(byteOrder),
    isTruncated,
  };
};
const uploadsDir = (bucket) => srv.store.getResourcePath(bucket, undefined, 'uploads');

srv.middleware.splice(1, 0, async (ctx, next) => {
  const pm = /^\/([^/]+)(?:\/(.*))?$/.exec(ctx.path);
  const bucket = pm?.[1] ? decodeURIComponent(pm[1]) : undefined;
  const key = pm?.[2] ? decodeURIComponent(pm[2]) : undefined;
  const op = operation(ctx, bucket, key);
  counts[op] = (counts[op] ?? 0) + 1;

  const f = faults.find((x) => x.operation === op && (x.key === undefined || x.key === key) && x.remaining > 0);
  if (f) {
    f.remaining -= 1;
    if (f.after) { // let the request succeed, then lose the answer
      await handle(ctx, next, bucket, key, op);
      ctx.req.socket.destroy();
      return;
    }
    for (const [h, v] of Object.entries(f.headers)) ctx.set(h, v);
    if (f.status === 0) { ctx.req.socket.destroy(); return; } // connection reset
    if (ctx.method === 'HEAD') { ctx.status = f.status; return; }
    // Read the request body first, as S3 does before an InternalError: answering mid-body makes the
    // client see a broken pipe instead of the answer.
    for await (const _ of ctx.req) { /* drain */ }
    return xmlError(ctx, f.status, f.code, f.message, f.extraXml ?? '');
  }
  return handle(ctx, next, bucket, key, op);
});

async function handle(ctx, next, bucket, key, op) {
  if (!bucket || !knownAccessKey(ctx)) return next();

  if (op === 'AbortMultipartUpload') {
    const dir = join(uploadsDir(bucket), String(ctx.query.uploadId));
    if (!(await stat(dir).then(() => true, () => false))) return xmlError(ctx, 404, 'NoSuchUpload', 'The specified upload does not exist.');
    await rm(dir, { recursive: true, force: true });
    ctx.status = 204;
    return;
  }
  if (op === 'ListMultipartUploads') {
    const prefix = String(ctx.query.prefix ?? '');
    const ids = await readdir(uploadsDir(bucket)).catch(() => []);
    const uploads = [];
    for (const id of ids) {
      const k = await readFile(join(uploadsDir(bucket), id, 'key'), 'utf8').catch(() => undefined);
      if (k === undefined || !k.startsWith(prefix)) continue;
      const st = await stat(join(uploadsDir(bucket), id, 'key'));
      uploads.push({ k, id, t: st.mtime.toISOString() });
    }
    uploads.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
    ctx.status = 200; ctx.type = 'application/xml';
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult><Bucket>${xmlEscape(bucket)}</Bucket>` +
      `<Prefix>${xmlEscape(prefix)}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>` +
      uploads.map((u) => `<Upload><Key>${xmlEscape(u.k)}</Key><UploadId>${u.id}</UploadId><Initiated>${u.t}</Initiated></Upload>`).join('') +
      '</ListMultipartUploadsResult>';
    return;
  }
  if (key && ctx.get('if-none-match') === '*' && (op === 'PutObject' || op === 'CompleteMultipartUpload')) {
    return withKeyLock(`${bucket}/${key}`, async () => {
      if (await srv.store.existsObject(bucket, key)) {
        counts.PreconditionFailed = (counts.PreconditionFailed ?? 0) + 1;
        // Drain the request body so the client sees the answer instead of a reset.
        ctx.req.resume();
        return xmlError(ctx, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', '<Condition>If-None-Match</Condition>');
      }
      return next();
    });
  }
  return next();
}

process.on('message', async (m) => {
  try {
    let result;
    switch (m.type) {
      case 'createBucket': await srv.store.putBucket(m.name); break;
      case 'stats': result = { ...counts }; break;
      case 'resetStats': for (const k of Object.keys(counts)) delete counts[k]; break;
      case 'fault':
        faults.push({ operation: m.operation, key: m.key, status: m.status ?? 500, code: m.code ?? 'InternalError',
          message: m.message ?? 'Injected fault', headers: m.headers ?? {}, extraXml: m.extraXml, after: m.after === true, remaining: m.times ?? 1 });
        break;
      case 'clearFaults': faults = []; break;
      case 'listUploads': {
        const ids = await readdir(uploadsDir(m.bucket)).catch(() => []);
        result = ids;
        break;
      }
      default: throw new Error(`unknown message type ${m.type}`);
    }
    send({ id: m.id, ok: true, result });
  } catch (e) {
    send({ id: m.id, ok: false, error: String(e?.stack ?? e) });
  }
});

await mkdir(opts.directory, { recursive: true });
const { port } = await srv.run();
send({ type: 'ready', port });
