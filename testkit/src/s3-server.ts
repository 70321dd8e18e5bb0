// A real S3-compatible server for integration tests: s3rver 3.7.1 in a child node process (started
// with --openssl-legacy-provider, listening on 127.0.0.1 port 0) plus the conditional-write shim,
// AbortMultipartUpload / ListMultipartUploads, request counters and fault injection
// (see testkit/testing-bin/s3-server-child.mjs). Needs the dev dependency s3rver.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface S3TestServerOptions {
  /** Folder for s3rver's data (a fresh temp folder, removed on close, by default). */
  dir?: string;
  /** Buckets created before start. Default ['test-bucket']; [] for none. */
  buckets?: string[];
  /** Max time to wait for the child to listen. Default 15 s. */
  startTimeoutMs?: number;
}

export interface S3Fault {
  /** S3 operation name as counted: PutObject, UploadPart, CompleteMultipartUpload, GetObject, ListObjectsV2, … */
  operation: string;
  /** Only for this key (relative to the bucket). */
  key?: string;
  /** HTTP status; 0 resets the connection. Default 500. */
  status?: number;
  /** S3 error code. Default InternalError. */
  code?: string;
  message?: string;
  /** Extra response headers (e.g. {'x-amz-bucket-region': 'eu-west-1'}). */
  headers?: Record<string, string>;
  /** Extra XML inside <Error> (e.g. '<Region>eu-west-1</Region>'). */
  extraXml?: string;
  /** Handle the request normally, then reset the connection (the write lands, the answer is lost). */
  after?: boolean;
  /** How many requests fail. Default 1. */
  times?: number;
}

export interface S3TestServer {
  endpoint: string;
  port: number;
  /** The first bucket created at start, if any. */
  bucket: string | undefined;
  /** s3rver only knows this key pair; other access key IDs get InvalidAccessKeyId. V4 signatures are not checked. */
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Data folder of s3rver. */
  dir: string;
  /** Options for S3Store / S3Client: endpoint, region, forcePathStyle, credentials. */
  s3Options: { endpoint: string; region: string; forcePathStyle: true; credentials: { accessKeyId: string; secretAccessKey: string } };
  createBucket(name: string): Promise<void>;
  /** Requests per S3 operation since start (or resetRequests), plus 'PreconditionFailed' for 412s. */
  requests(): Promise<Record<string, number>>;
  resetRequests(): Promise<void>;
  /** Makes the next matching request(s) fail. */
  injectFault(f: S3Fault): Promise<void>;
  clearFaults(): Promise<void>;
  /** Upload ids of multipart uploads still in progress in a bucket. */
  pendingUploads(bucket: string): Promise<string[]>;
  /** Milliseconds from fork to listening. */
  startupMs: number;
  pid: number;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('../testing-bin/s3-server-child.mjs', import.meta.url));

interface Reply { id?: number; type?: string; ok?: boolean; result?: unknown; error?: string; port?: number }

export async function startS3TestServer(opts: S3TestServerOptions = {}): Promise<S3TestServer> {
  const t0 = performance.now();
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? await mkdtemp(join(tmpdir(), 's3rver-'));
  const buckets = opts.buckets ?? ['test-bucket'];
  const child: ChildProcess = fork(CHILD, [JSON.stringify({ directory: dir, buckets })], {
    execArgv: ['--openssl-legacy-provider'],
    env: { ...process.env, NODE_NO_WARNINGS: '1', NODE_OPTIONS: '' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  void exitPromise.then(() => {
    for (const p of pending.values()) p.reject(new Error(`s3 test server exited: ${stderr.trim()}`));
    pending.clear();
  });

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s3 test server did not start within ${opts.startTimeoutMs ?? 15000} ms: ${stderr}`)),
      opts.startTimeoutMs ?? 15000);
    child.on('message', (m: Reply) => {
      if (m.type === 'ready' && typeof m.port === 'number') { clearTimeout(timer); resolve(m.port); return; }
      const p = m.id !== undefined ? pending.get(m.id) : undefined;
      if (!p) return;
      pending.delete(m.id as number);
      if (m.ok) p.resolve(m.result); else p.reject(new Error(`s3 test server: ${m.error ?? 'failed'}`));
    });
    child.once('exit', (code, signal) => { clearTimeout(timer); reject(new Error(`s3 test server exited early (${code ?? signal}): ${stderr}`)); });
  }).catch(async (e: unknown) => {
    child.kill('SIGKILL');
    if (ownDir) await rm(dir, { recursive: true, force: true });
    throw e;
  });
  // Let the parent exit even if a test forgets close(); the child exits when the IPC channel closes.
  const channel = child.channel as { ref?: () => void; unref?: () => void } | undefined | null;
  child.unref();
  channel?.unref?.();
  (child.stderr as { unref?: () => void } | null)?.unref?.();

  function call<T>(msg: Record<string, unknown>): Promise<T> {
    if (exited) return Promise.reject(new Error('s3 test server is closed'));
    const id = nextId++;
    channel?.ref?.(); // keep the process alive while a reply is due
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ ...msg, id });
    }).finally(() => { if (pending.size === 0) channel?.unref?.(); });
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const accessKeyId = 'S3RVER';
  const secretAccessKey = 'S3RVER';
  const region = 'us-east-1';
  let closing: Promise<void> | undefined;
  return {
    endpoint, port, bucket: buckets[0], accessKeyId, secretAccessKey, region, dir,
    s3Options: { endpoint, region, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } },
    startupMs: Math.round(performance.now() - t0),
    pid: child.pid ?? -1,
    createBucket: (name) => call<void>({ type: 'createBucket', name }),
    requests: () => call<Record<string, number>>({ type: 'stats' }),
    resetRequests: () => call<void>({ type: 'resetStats' }),
    injectFault: (f) => call<void>({ type: 'fault', ...f }),
    clearFaults: () => call<void>({ type: 'clearFaults' }),
    pendingUploads: (bucket) => call<string[]>({ type: 'listUploads', bucket }),
    close: () => closing ??= (async () => {
      child.ref(); // keep the loop alive until the exit is seen
      if (!exited) child.kill('SIGKILL');
      await exitPromise;
      if (ownDir) await rm(dir, { recursive: true, force: true });
    })(),
  };
}
