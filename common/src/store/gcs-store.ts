// ObjectStore on Google Cloud Storage (JSON API). Every write is create-only (`ifGenerationMatch: 0`;
// 412 = the object exists), so an existing object is never replaced. Large bodies and streams use a
// resumable upload session: the object appears only when the session is finalised; a failed
// session is left unfinished (GCS discards it after a week), so a partial object never appears.
import { CountedBody } from './counted-body.js';
import { ownWriteOrThrow } from './own-write.js';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Storage, type Bucket, type StorageOptions } from '@google-cloud/storage';
import { ConfigError } from '../errors.js';
import { mapGcsError, type GcsAction } from './gcs-errors.js';
import {
  compareKeys, ObjectNotFoundError, normaliseRootPrefix, validateKey, validatePrefix, type HeadResult,
  type ListOptions, type ObjectBody, type ObjectInfo, type ObjectStore, type PutOptions, type PutResult,
} from './object-store.js';

export interface GcsStoreOptions {
  bucket: string;
  /** Root prefix inside the bucket ('' or 'a/b'); keys are relative to it. */
  prefix?: string;
  /** Service-account JSON key (the whole file); omit for Application Default Credentials. */
  serviceAccountJson?: string;
  /** Project id (only needed by some default-credential setups). */
  projectId?: string;
  /** Custom JSON API endpoint (emulators, private endpoints), e.g. http://127.0.0.1:4443. */
  endpoint?: string;
  /** Resumable-upload chunk size (a multiple of 256 KiB). Default 8 MiB. */
  chunkSizeBytes?: number;
  /** Buffers up to this size go in one request; larger ones and streams use a resumable upload. Default = chunk size. */
  resumableThreshold?: number;
  /** Error message prefix, 'bucket' by default (e.g. 'spool'). */
  domain?: string;
}

/** User-metadata key holding a per-write random id, so a retried write that already landed is recognised. */
export const GCS_WRITE_ID_METADATA = 'cio-dw-write-id';
const QUARTER_MIB = 256 * 1024;

/** Storage client options from a service-account key (validated) or the default credential chain. */
export function gcsClientOptions(o: Pick<GcsStoreOptions, 'serviceAccountJson' | 'projectId' | 'endpoint' | 'domain'>): StorageOptions {
  const d = o.domain ?? 'bucket';
  const out: StorageOptions = { retryOptions: { autoRetry: true, maxRetries: 3 } };
  if (o.projectId) out.projectId = o.projectId;
  if (o.endpoint) {
    try { new URL(o.endpoint); } catch { throw new ConfigError(`${d}: the GCS endpoint "${o.endpoint}" is not a URL (e.g. https://storage.googleapis.com).`); }
    out.apiEndpoint = o.endpoint.replace(/\/$/, '');
  }
  if (o.serviceAccountJson) {
    let key: { type?: string; client_email?: string; private_key?: string; project_id?: string };
    try {
      key = JSON.parse(o.serviceAccountJson) as typeof key;
    } catch {
      throw new ConfigError(`${d}: the service-account key is not valid JSON. Paste the whole JSON key file downloaded from IAM & Admin → Service accounts → Keys.`);
    }
    if (key?.type !== 'service_account' || !key.client_email || !key.private_key) {
      throw new ConfigError(`${d}: the service-account key lacks type "service_account", client_email or private_key. Paste the whole JSON key file.`);
    }
    out.credentials = { client_email: key.client_email, private_key: key.private_key };
    if (!out.projectId && key.project_id) out.projectId = key.project_id;
  }
  return out;
}

export class GcsStore implements ObjectStore {
  readonly kind = 'gcs';
  readonly bucket: Bucket;
  readonly rootPrefix: string;
  private readonly o: { chunkSize: number; threshold: number; domain: string; endpoint?: string };

  constructor(opts: GcsStoreOptions) {
    const domain = opts.domain ?? 'bucket';
    if (!opts.bucket || /[/:]/.test(opts.bucket)) {
      throw new ConfigError(`${domain}: "${opts.bucket ?? ''}" is not a bucket name. Use the bare name (no gs:// and no path); put the path in the prefix.`);
    }
    const chunkSize = opts.chunkSizeBytes ?? 8 * 1024 * 1024;
    if (chunkSize < QUARTER_MIB || chunkSize % QUARTER_MIB !== 0) throw new ConfigError(`${domain}: chunk size ${chunkSize} is not a multiple of 256 KiB.`);
    this.bucket = new Storage(gcsClientOptions({ ...opts, domain })).bucket(opts.bucket);
    this.rootPrefix = normaliseRootPrefix(opts.prefix);
    this.o = { chunkSize, threshold: opts.resumableThreshold ?? chunkSize, domain, ...(opts.endpoint ? { endpoint: opts.endpoint } : {}) };
  }

  describe(): string {
    return `gs://${this.bucket.name}/${this.rootPrefix}${this.o.endpoint ? ` (endpoint ${this.o.endpoint})` : ''}`;
  }

  async close(): Promise<void> { /* the client holds no sockets open between requests */ }

  private err(e: unknown, action: GcsAction, key?: string): Error {
    return mapGcsError(e, {
      action, bucket: this.bucket.name, rootPrefix: this.rootPrefix, domain: this.o.domain,
      ...(key !== undefined ? { key } : {}), ...(this.o.endpoint ? { endpoint: this.o.endpoint } : {}),
    });
  }

  async putNew(key: string, body: ObjectBody, opts: PutOptions = {}): Promise<PutResult> {
    validateKey(key);
    opts.signal?.throwIfAborted();
    const writeId = randomUUID();
    const file = this.bucket.file(this.rootPrefix + key);
    const common = {
      preconditionOpts: { ifGenerationMatch: 0 },
      metadata: { ...(opts.contentType ? { contentType: opts.contentType } : {}), metadata: { ...opts.metadata, [GCS_WRITE_ID_METADATA]: writeId } },
      ...(opts.contentType ? { contentType: opts.contentType } : {}),
      validation: 'crc32c' as const,
    };
    const counted = new CountedBody(body, opts.signal);
    const size = (): number => (body instanceof Uint8Array ? body.byteLength : counted.bytes);
    try {
      if (body instanceof Uint8Array && body.byteLength <= this.o.threshold) {
        await file.save(Buffer.from(body.buffer, body.byteOffset, body.byteLength), { ...common, resumable: false });
      } else {
        const ws = file.createWriteStream({ ...common, resumable: true, chunkSize: this.o.chunkSize });
        await pipeline(Readable.from(counted.chunks(), { objectMode: false }), ws, opts.signal ? { signal: opts.signal } : {});
      }
      return { key, bytes: size(), ...(file.metadata.etag ? { etag: file.metadata.etag } : {}) };
    } catch (e) {
      if (counted.failed) throw counted.error;
      return await ownWriteOrThrow(this.err(e, 'write', key), (k) => this.head(k), key, size(), GCS_WRITE_ID_METADATA, writeId);
    }
  }

  async get(key: string, opts: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    validateKey(key);
    opts.signal?.throwIfAborted();
    try {
      const [buf] = await this.bucket.file(this.rootPrefix + key).download();
      return buf;
    } catch (e) {
      throw this.err(e, 'read', key);
    }
  }

  async getStream(key: string, opts: { signal?: AbortSignal } = {}): Promise<Readable> {
    // Read the metadata first so a missing object is an ObjectNotFoundError here, not a stream error later.
    if (!(await this.head(key))) throw this.err(Object.assign(new Error('No such object'), { code: 404 }), 'read', key);
    opts.signal?.throwIfAborted();
    return this.bucket.file(this.rootPrefix + key).createReadStream({ validation: false }) as unknown as Readable;
  }

  async head(key: string): Promise<HeadResult | undefined> {
    validateKey(key);
    try {
      const [m] = await this.bucket.file(this.rootPrefix + key).getMetadata();
      const user = Object.fromEntries(Object.entries(m.metadata ?? {}).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, String(v)]));
      return {
        key, size: Number(m.size ?? 0), lastModified: new Date(m.updated ?? m.timeCreated ?? 0), metadata: user,
        ...(m.etag ? { etag: m.etag } : {}), ...(m.contentType ? { contentType: m.contentType } : {}),
      };
    } catch (e) {
      const mapped = this.err(e, 'read', key);
      if (mapped instanceof ObjectNotFoundError) return undefined;
      throw mapped;
    }
  }

  async delete(key: string): Promise<void> {
    validateKey(key);
    try {
      await this.bucket.file(this.rootPrefix + key).delete({ ignoreNotFound: true });
    } catch (e) {
      throw this.err(e, 'delete', key);
    }
  }

  async *list(prefix: string, opts: ListOptions = {}): AsyncIterable<ObjectInfo> {
    validatePrefix(prefix);
    let remaining = opts.limit ?? Number.POSITIVE_INFINITY;
    const pageSize = Math.min(1000, Math.max(1, opts.pageSize ?? 1000));
    const startAfter = opts.startAfter;
    let pageToken: string | undefined;
    while (remaining > 0) {
      opts.signal?.throwIfAborted();
      let files; let next;
      try {
        [files, next] = await this.bucket.getFiles({
          prefix: this.rootPrefix + prefix, autoPaginate: false, maxResults: Math.min(pageSize, remaining + 1),
          ...(pageToken ? { pageToken } : startAfter !== undefined ? { startOffset: this.rootPrefix + startAfter } : {}),
        });
      } catch (e) {
        throw this.err(e, 'list');
      }
      for (const f of files) {
        const k = f.name.slice(this.rootPrefix.length);
        if (f.name.endsWith('/') || (startAfter !== undefined && compareKeys(k, startAfter) <= 0)) continue; // startOffset is inclusive
        yield { key: k, size: Number(f.metadata.size ?? 0), lastModified: new Date(f.metadata.updated ?? f.metadata.timeCreated ?? 0) };
        if (--remaining <= 0) return;
      }
      const token = (next as { pageToken?: string } | null | undefined)?.pageToken;
      if (!token) return;
      if (token === pageToken) throw this.err(new Error('GCS list returned the same page token twice'), 'list');
      pageToken = token;
    }
  }
}
