// ObjectStore on AWS S3 or an S3-compatible endpoint. Every write is conditional (`If-None-Match: *`
// on PutObject and on CompleteMultipartUpload), so an existing object is never replaced; a failed
// multipart upload is aborted. Errors are mapped by s3-errors.ts.
// lib-storage 3.1169.0 spreads `params` into CompleteMultipartUploadCommand (Upload.js), so IfNoneMatch
// reaches the completion without extra middleware; the s3rver tests check the 412 on a multipart
// collision. (Other commands ignore the field: their serialisers only send their own members.)
import { CountedBody } from './counted-body.js';
import { ownWriteOrThrow } from './own-write.js';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ConfigError, TransientError } from '../errors.js';
import {
  InvalidKeyError, normaliseRootPrefix, validateKey, validatePrefix, type HeadResult,
  type ListOptions, type ObjectBody, type ObjectInfo, type ObjectStore, type PutOptions, type PutResult,
} from './object-store.js';
import { isAbortError, mapS3Error, type S3Action } from './s3-errors.js';

export interface S3Credentials { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

export interface S3StoreOptions {
  bucket: string;
  /** Root prefix inside the bucket ('' or 'a/b'); keys are relative to it. */
  prefix?: string;
  region: string;
  /** Custom endpoint for S3-compatible stores, e.g. http://127.0.0.1:9000. */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Static keys; omit to use the AWS default credential chain (env, profile, instance/task role). */
  credentials?: S3Credentials;
  /** Multipart part size (≥ 5 MiB). Default 8 MiB. */
  partSizeBytes?: number;
  /** Parts uploaded in parallel per object. Default 4. */
  queueSize?: number;
  /** Buffers up to this size go in one PutObject; larger ones and streams use multipart. Default = part size. */
  multipartThreshold?: number;
  /** SDK attempts per request (retries of 5xx/throttling/network). Default 3. */
  maxAttempts?: number;
  /** Error message prefix, 'bucket' by default (e.g. 'spool'). */
  domain?: string;
  /** Use this client instead of building one (tests, custom middleware). Not destroyed by close(). */
  client?: S3Client;
}

const MIN_PART = 5 * 1024 * 1024;
/** User-metadata key holding a per-write random id, so a retried write that already landed is recognised. */
export const WRITE_ID_METADATA = 'cio-dw-write-id';

export class S3Store implements ObjectStore {
  readonly kind = 's3';
  readonly client: S3Client;
  readonly bucket: string;
  readonly rootPrefix: string;
  private readonly ownsClient: boolean;
  private readonly o: Required<Pick<S3StoreOptions, 'partSizeBytes' | 'queueSize' | 'multipartThreshold' | 'region' | 'domain'>> & { endpoint?: string };

  constructor(opts: S3StoreOptions) {
    if (!opts.bucket || /[/:]/.test(opts.bucket)) {
      throw new ConfigError(`bucket: "${opts.bucket ?? ''}" is not a bucket name. Use the bare name (no s3:// and no path); put the path in the prefix.`);
    }
    if (!opts.region) throw new ConfigError('bucket: no region configured. Set the bucket\'s region (e.g. us-east-1).');
    const partSizeBytes = opts.partSizeBytes ?? 8 * 1024 * 1024;
    if (partSizeBytes < MIN_PART) throw new ConfigError(`bucket: part size ${partSizeBytes} is below the S3 minimum of 5 MiB.`);
    this.bucket = opts.bucket;
    try {
      this.rootPrefix = normaliseRootPrefix(opts.prefix);
    } catch (e) {
      if (!(e instanceof InvalidKeyError)) throw e;
      throw new ConfigError(`${opts.domain ?? 'bucket'}: the prefix ${JSON.stringify(opts.prefix)} is not a usable path inside the bucket ` +
        `(${e.message.replace(/^store: invalid object key .*: /, '')}). Use a relative path such as "warehouse/customerio", without "." or ".." segments.`);
    }
    this.o = {
      partSizeBytes,
      queueSize: Math.max(1, opts.queueSize ?? 4),
      multipartThreshold: opts.multipartThreshold ?? partSizeBytes,
      region: opts.region,
      domain: opts.domain ?? 'bucket',
      ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    };
    this.ownsClient = opts.client === undefined;
    this.client = opts.client ?? new S3Client(s3ClientConfig(opts));
  }

  describe(): string {
    return `s3://${this.bucket}/${this.rootPrefix} (region ${this.o.region}${this.o.endpoint ? `, endpoint ${this.o.endpoint}` : ''})`;
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.client.destroy();
  }

  private err(e: unknown, action: S3Action, key?: string): Error {
    return mapS3Error(e, {
      action, bucket: this.bucket, region: this.o.region, rootPrefix: this.rootPrefix, domain: this.o.domain,
      ...(key !== undefined ? { key } : {}), ...(this.o.endpoint ? { endpoint: this.o.endpoint } : {}),
    });
  }

  async putNew(key: string, body: ObjectBody, opts: PutOptions = {}): Promise<PutResult> {
    validateKey(key);
    opts.signal?.throwIfAborted();
    const writeId = randomUUID();
    const params = {
      Bucket: this.bucket,
      Key: this.rootPrefix + key,
      IfNoneMatch: '*',
      Metadata: { ...opts.metadata, [WRITE_ID_METADATA]: writeId },
      ...(opts.contentType ? { ContentType: opts.contentType } : {}),
    };
    const counted = new CountedBody(body, opts.signal);
    const size = (): number => (body instanceof Uint8Array ? body.byteLength : counted.bytes);
    try {
      if (body instanceof Uint8Array && body.byteLength <= this.o.multipartThreshold) {
        const r = await this.client.send(new PutObjectCommand({ ...params, Body: body, ContentLength: body.byteLength }),
          opts.signal ? { abortSignal: opts.signal } : {});
        return { key, bytes: size(), ...(r.ETag ? { etag: r.ETag } : {}) };
      }
      const upload = new Upload({
        client: this.client,
        params: { ...params, Body: body instanceof Uint8Array ? body : Readable.from(counted.chunks(), { objectMode: false }) },
        partSize: this.o.partSizeBytes,
        queueSize: this.o.queueSize,
        leavePartsOnError: false,
      });
      const r = await upload.done();
      return { key, bytes: size(), ...(r.ETag ? { etag: r.ETag } : {}) };
    } catch (e) {
      if (counted.failed) throw counted.error;
      if (isAbortError(e) && !opts.signal?.aborted) {
        // Not our abort: say which upload stopped and keep what stopped it.
        const cause = (e as Error).cause;
        throw new TransientError(`${this.o.domain}: the upload of "${key}" to ${this.describe()} was aborted before it completed` +
          `${cause instanceof Error ? ` (${cause.message})` : ''}; nothing was published. Retry the sync.`, { cause: e, internal: String((e as Error).stack ?? e) });
      }
      return await ownWriteOrThrow(this.err(e, 's3:PutObject', key), (k) => this.head(k), key, size(), WRITE_ID_METADATA, writeId);
    }
  }

  async get(key: string, opts: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    validateKey(key);
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.rootPrefix + key }),
        opts.signal ? { abortSignal: opts.signal } : {});
      if (!r.Body) return new Uint8Array(0);
      return await r.Body.transformToByteArray();
    } catch (e) {
      throw this.err(e, 's3:GetObject', key);
    }
  }

  async getStream(key: string, opts: { signal?: AbortSignal } = {}): Promise<Readable> {
    validateKey(key);
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.rootPrefix + key }),
        opts.signal ? { abortSignal: opts.signal } : {});
      const b = r.Body;
      if (b instanceof Readable) return b;
      return Readable.from(b ? [await b.transformToByteArray()] : []);
    } catch (e) {
      throw this.err(e, 's3:GetObject', key);
    }
  }

  async head(key: string): Promise<HeadResult | undefined> {
    validateKey(key);
    try {
      const r = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.rootPrefix + key }));
      return {
        key, size: r.ContentLength ?? 0, lastModified: r.LastModified ?? new Date(0), metadata: r.Metadata ?? {},
        ...(r.ETag ? { etag: r.ETag } : {}), ...(r.ContentType ? { contentType: r.ContentType } : {}),
      };
    } catch (e) {
      const code = (e as { name?: string }).name;
      if (code === 'NotFound' || code === 'NoSuchKey') return undefined;
      throw this.err(e, 's3:GetObject', key);
    }
  }

  async delete(key: string): Promise<void> {
    validateKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.rootPrefix + key }));
    } catch (e) {
      throw this.err(e, 's3:DeleteObject', key);
    }
  }

  async *list(prefix: string, opts: ListOptions = {}): AsyncIterable<ObjectInfo> {
    validatePrefix(prefix);
    let remaining = opts.limit ?? Number.POSITIVE_INFINITY;
    const pageSize = Math.min(1000, Math.max(1, opts.pageSize ?? 1000));
    let token: string | undefined;
    const startAfter = opts.startAfter !== undefined ? this.rootPrefix + opts.startAfter : undefined;
    while (remaining > 0) {
      let page;
      try {
        page = await this.client.send(new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.rootPrefix + prefix,
          MaxKeys: Math.min(pageSize, remaining),
          ...(token ? { ContinuationToken: token } : startAfter !== undefined ? { StartAfter: startAfter } : {}),
        }), opts.signal ? { abortSignal: opts.signal } : {});
      } catch (e) {
        throw this.err(e, 's3:ListBucket');
      }
      for (const o of page.Contents ?? []) {
        if (!o.Key || o.Key.endsWith('/')) continue; // folder markers made by consoles
        yield { key: o.Key.slice(this.rootPrefix.length), size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) };
        if (--remaining <= 0) return;
      }
      if (!page.IsTruncated || !page.NextContinuationToken) return;
      if (page.NextContinuationToken === token) throw this.err(new Error('ListObjectsV2 returned the same continuation token twice'), 's3:ListBucket');
      token = page.NextContinuationToken;
    }
  }
}

/** S3Client settings for these options (exported for tools that need their own client). */
export function s3ClientConfig(opts: S3StoreOptions): S3ClientConfig {
  return {
    region: opts.region,
    maxAttempts: opts.maxAttempts ?? 3,
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    ...(opts.forcePathStyle !== undefined ? { forcePathStyle: opts.forcePathStyle } : {}),
    ...(opts.credentials ? {
      credentials: {
        accessKeyId: opts.credentials.accessKeyId,
        secretAccessKey: opts.credentials.secretAccessKey,
        ...(opts.credentials.sessionToken ? { sessionToken: opts.credentials.sessionToken } : {}),
      },
    } : {}),
  };
}
