// ObjectStore on Azure Blob Storage (or Azurite). Every write is create-only (`If-None-Match: *` on Put
// Blob and on Put Block List; 409/412 = the blob exists), so an existing blob is never replaced.
// Large bodies are staged as blocks under a per-write random block id and committed in one Put Block
// List: until then nothing is visible at the key; on failure the uncommitted blocks are left for Azure
// to discard (after 7 days), so a partial blob never appears.
import { CountedBody } from './counted-body.js';
import { ownWriteOrThrow } from './own-write.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  BlobServiceClient, StorageSharedKeyCredential, type ContainerClient, type StoragePipelineOptions,
} from '@azure/storage-blob';
import { ConfigError } from '../errors.js';
import { mapAzureError, type AzureAction } from './azure-errors.js';
import { fixedChunks } from './fixed-chunks.js';
import {
  compareKeys, normaliseRootPrefix, validateKey, validatePrefix, type HeadResult,
  type ListOptions, type ObjectBody, type ObjectInfo, type ObjectStore, type PutOptions, type PutResult,
} from './object-store.js';

export interface AzureBlobStoreOptions {
  container: string;
  /** Root prefix inside the container ('' or 'a/b'); keys are relative to it. */
  prefix?: string;
  /** Storage account name (needed with an account key, and with a SAS token unless `endpoint` is set). */
  accountName?: string;
  /** Blob service URL; default https://<account>.blob.core.windows.net (Azurite: http://127.0.0.1:10000/devstoreaccount1). */
  endpoint?: string;
  /** Exactly one of these authenticates. */
  connectionString?: string;
  accountKey?: string;
  sasToken?: string;
  /** Block size for large bodies (1 MiB – 100 MiB). Default 8 MiB. */
  blockSizeBytes?: number;
  /** Blocks uploaded in parallel per blob. Default 4. */
  concurrency?: number;
  /** Error message prefix, 'bucket' by default (e.g. 'spool'). */
  domain?: string;
  /** SDK retry policy; defaults suit production (4 tries, 1 s base delay). */
  retry?: { maxTries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
}

/** User-metadata key holding a per-write random id, so a retried write that already landed is recognised. */
export const AZURE_WRITE_ID_METADATA = 'cio_dw_write_id';
const MIN_BLOCK = 1024 * 1024;
const MAX_BLOCK = 100 * 1024 * 1024;

/** Azure metadata names are C# identifiers: 'ab-sync-id' is stored as 'ab_sync_id' and read back with '-'. */
const toAzureMeta = (m: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k.replace(/-/g, '_'), v]));
const fromAzureMeta = (m: Record<string, string> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k === AZURE_WRITE_ID_METADATA ? k : k.replace(/_/g, '-'), v]));

export class AzureBlobStore implements ObjectStore {
  readonly kind = 'azure';
  readonly container: ContainerClient;
  readonly account: string;
  readonly rootPrefix: string;
  private readonly o: { blockSize: number; concurrency: number; domain: string; url: string };

  constructor(opts: AzureBlobStoreOptions) {
    const domain = opts.domain ?? 'bucket';
    if (!opts.container || /[/:]/.test(opts.container)) {
      throw new ConfigError(`${domain}: "${opts.container ?? ''}" is not a container name. Use the bare name (no URL and no path); put the path in the prefix.`);
    }
    const blockSize = opts.blockSizeBytes ?? 8 * 1024 * 1024;
    if (blockSize < MIN_BLOCK || blockSize > MAX_BLOCK) throw new ConfigError(`${domain}: block size ${blockSize} is outside 1 MiB – 100 MiB.`);
    const service = serviceClient(opts, domain);
    this.container = service.getContainerClient(opts.container);
    this.account = service.accountName || opts.accountName || 'unknown';
    this.rootPrefix = normaliseRootPrefix(opts.prefix);
    const url = new URL(this.container.url);
    this.o = { blockSize, concurrency: Math.max(1, opts.concurrency ?? 4), domain, url: `${url.origin}${url.pathname}` };
  }

  describe(): string {
    return `azure blob ${this.o.url}/${this.rootPrefix}`; // origin + path only: a SAS token is in the query
  }

  async close(): Promise<void> { /* the SDK's HTTP client holds no sockets open */ }

  private err(e: unknown, action: AzureAction, key?: string): Error {
    return mapAzureError(e, {
      action, account: this.account, container: this.container.containerName, rootPrefix: this.rootPrefix,
      domain: this.o.domain, ...(key !== undefined ? { key } : {}),
    });
  }

  async putNew(key: string, body: ObjectBody, opts: PutOptions = {}): Promise<PutResult> {
    validateKey(key);
    opts.signal?.throwIfAborted();
    const writeId = randomUUID();
    const blob = this.container.getBlockBlobClient(this.rootPrefix + key);
    const common = {
      conditions: { ifNoneMatch: '*' },
      metadata: toAzureMeta({ ...opts.metadata, [AZURE_WRITE_ID_METADATA]: writeId }),
      ...(opts.contentType ? { blobHTTPHeaders: { blobContentType: opts.contentType } } : {}),
      ...(opts.signal ? { abortSignal: opts.signal } : {}),
    };
    const counted = new CountedBody(body, opts.signal);
    const size = (): number => (body instanceof Uint8Array ? body.byteLength : counted.bytes);
    try {
      if (body instanceof Uint8Array && body.byteLength <= this.o.blockSize) {
        const r = await blob.upload(body, body.byteLength, common);
        return { key, bytes: size(), ...(r.etag ? { etag: r.etag } : {}) };
      }
      const ids = await this.stageBlocks(blob, counted.chunks(), opts.signal);
      if (ids.length === 0) {
        const r = await blob.upload(new Uint8Array(0), 0, common);
        return { key, bytes: size(), ...(r.etag ? { etag: r.etag } : {}) };
      }
      const r = await blob.commitBlockList(ids, common);
      return { key, bytes: size(), ...(r.etag ? { etag: r.etag } : {}) };
    } catch (e) {
      if (counted.failed) throw counted.error;
      return await ownWriteOrThrow(this.err(e, 'write', key), (k) => this.head(k), key, size(), AZURE_WRITE_ID_METADATA, writeId);
    }
  }

  /** Stages every block (at most `concurrency` in flight); returns the block ids in order. */
  private async stageBlocks(blob: ReturnType<ContainerClient['getBlockBlobClient']>, chunks: AsyncIterable<Uint8Array>,
    signal: AbortSignal | undefined): Promise<string[]> {
    const ids: string[] = [];
    const prefix = randomBytes(12).toString('hex'); // per write: a concurrent writer's blocks never mix in
    const inFlight = new Set<Promise<void>>();
    const stop = new AbortController();
    const onAbort = (): void => stop.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let failure: { e: unknown } | undefined;
    try {
      for await (const block of fixedChunks(chunks, this.o.blockSize)) {
        if (failure) break;
        const id = Buffer.from(`${prefix}-${String(ids.length).padStart(6, '0')}`).toString('base64');
        ids.push(id);
        const p: Promise<void> = blob.stageBlock(id, block, block.byteLength, { abortSignal: stop.signal })
          .then(() => undefined, (e: unknown) => { failure ??= { e }; stop.abort(); })
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
        if (inFlight.size >= this.o.concurrency) await Promise.race(inFlight);
      }
    } catch (e) {
      failure ??= { e };
      stop.abort();
    } finally {
      await Promise.all(inFlight);
      signal?.removeEventListener('abort', onAbort);
    }
    if (failure) throw failure.e;
    return ids;
  }

  async get(key: string, opts: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const s = await this.getStream(key, opts);
    const parts: Buffer[] = [];
    try {
      for await (const c of s) parts.push(c as Buffer);
    } catch (e) {
      throw this.err(e, 'read', key);
    }
    return Buffer.concat(parts);
  }

  async getStream(key: string, opts: { signal?: AbortSignal } = {}): Promise<Readable> {
    validateKey(key);
    try {
      const r = await this.container.getBlobClient(this.rootPrefix + key).download(0, undefined, opts.signal ? { abortSignal: opts.signal } : {});
      const b = r.readableStreamBody;
      return b instanceof Readable ? b : Readable.from(b ? (b as AsyncIterable<Buffer>) : []);
    } catch (e) {
      throw this.err(e, 'read', key);
    }
  }

  async head(key: string): Promise<HeadResult | undefined> {
    validateKey(key);
    try {
      const r = await this.container.getBlobClient(this.rootPrefix + key).getProperties();
      return {
        key, size: r.contentLength ?? 0, lastModified: r.lastModified ?? new Date(0), metadata: fromAzureMeta(r.metadata),
        ...(r.etag ? { etag: r.etag } : {}), ...(r.contentType ? { contentType: r.contentType } : {}),
      };
    } catch (e) {
      const status = (e as { statusCode?: number }).statusCode;
      if (status === 404 && (e as { details?: { errorCode?: string } }).details?.errorCode !== 'ContainerNotFound') return undefined;
      throw this.err(e, 'read', key);
    }
  }

  async delete(key: string): Promise<void> {
    validateKey(key);
    try {
      await this.container.getBlobClient(this.rootPrefix + key).deleteIfExists();
    } catch (e) {
      throw this.err(e, 'delete', key);
    }
  }

  async *list(prefix: string, opts: ListOptions = {}): AsyncIterable<ObjectInfo> {
    validatePrefix(prefix);
    let remaining = opts.limit ?? Number.POSITIVE_INFINITY;
    if (remaining <= 0) return;
    const pageSize = Math.min(5000, Math.max(1, opts.pageSize ?? 1000));
    const startAfter = opts.startAfter;
    // Azure lists in key order but has no "start after": skip up to it on the client.
    const pages = this.container.listBlobsFlat({ prefix: this.rootPrefix + prefix, ...(opts.signal ? { abortSignal: opts.signal } : {}) })
      .byPage({ maxPageSize: pageSize });
    let lastToken: string | undefined;
    try {
      for await (const page of pages) {
        for (const b of page.segment.blobItems) {
          const k = b.name.slice(this.rootPrefix.length);
          if (b.name.endsWith('/') || (startAfter !== undefined && compareKeys(k, startAfter) <= 0)) continue;
          yield { key: k, size: b.properties.contentLength ?? 0, lastModified: b.properties.lastModified };
          if (--remaining <= 0) return;
        }
        if (page.continuationToken && page.continuationToken === lastToken) {
          throw new Error('Azure list returned the same continuation token twice');
        }
        lastToken = page.continuationToken;
      }
    } catch (e) {
      throw this.err(e, 'list');
    }
  }
}

/** The service client for one of the three ways to authenticate; ConfigError unless exactly one is set. */
function serviceClient(o: AzureBlobStoreOptions, domain: string): BlobServiceClient {
  const ways = [o.connectionString, o.accountKey, o.sasToken].filter((x) => x !== undefined && x !== '').length;
  if (ways !== 1) {
    throw new ConfigError(`${domain}: set exactly one of connection string, account key or SAS token for Azure Blob Storage ` +
      `(${ways === 0 ? 'none is set' : `${ways} are set`}).`);
  }
  const pipeline: StoragePipelineOptions = {
    retryOptions: { maxTries: o.retry?.maxTries ?? 4, retryDelayInMs: o.retry?.retryDelayInMs ?? 1000, maxRetryDelayInMs: o.retry?.maxRetryDelayInMs ?? 30_000 },
  };
  if (o.connectionString) {
    try {
      return BlobServiceClient.fromConnectionString(o.connectionString, pipeline);
    } catch {
      throw new ConfigError(`${domain}: the Azure connection string is not valid. Copy it from the storage account's "Access keys" page ` +
        '(it starts with DefaultEndpointsProtocol= or BlobEndpoint=).');
    }
  }
  if (!o.accountName && !(o.sasToken && o.endpoint)) {
    throw new ConfigError(`${domain}: set the storage account name (needed with an account key, and with a SAS token unless the endpoint is set).`);
  }
  let endpoint: URL;
  try {
    endpoint = new URL(o.endpoint || `https://${o.accountName}.blob.core.windows.net`);
  } catch {
    throw new ConfigError(`${domain}: the Azure endpoint "${o.endpoint ?? ''}" is not a URL (e.g. https://myaccount.blob.core.windows.net).`);
  }
  if (o.accountKey) {
    let cred: StorageSharedKeyCredential;
    try {
      cred = new StorageSharedKeyCredential(o.accountName!, o.accountKey);
    } catch {
      throw new ConfigError(`${domain}: the Azure account key is not valid base64. Copy key1 or key2 from the storage account's "Access keys" page.`);
    }
    return new BlobServiceClient(endpoint.toString().replace(/\/$/, ''), cred, pipeline);
  }
  const sas = (o.sasToken ?? '').replace(/^\?/, '');
  if (!/(^|&)sig=/.test(sas)) {
    throw new ConfigError(`${domain}: the SAS token has no signature (sig=…). Paste the whole token, e.g. sv=…&ss=b&srt=co&sp=racwdl&…&sig=….`);
  }
  endpoint.search = sas;
  return new BlobServiceClient(endpoint.toString(), undefined, pipeline);
}
