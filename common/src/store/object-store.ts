// The object-store contract shared by the destination (new data files) and the advanced source's
// spool. Implementations: LocalFolderStore, S3Store (AWS S3 and S3-compatible endpoints). GCS (S3
// interop) and Azure Blob fit the same contract: create-if-absent, read, head, ordered list, delete.
import type { Readable } from 'node:stream';
import { SystemError } from '../errors.js';

/** Bytes to store: a buffer, a Node stream or any async iterable of byte chunks. */
export type ObjectBody = Uint8Array | Readable | AsyncIterable<Uint8Array>;

export interface PutOptions {
  contentType?: string;
  /** User metadata (S3 `x-amz-meta-*`). Ignored by the local folder store. */
  metadata?: Record<string, string>;
  signal?: AbortSignal;
}
export interface PutResult { key: string; bytes: number; etag?: string }
export interface ObjectInfo { key: string; size: number; lastModified: Date }
export interface HeadResult extends ObjectInfo { etag?: string; contentType?: string; metadata: Record<string, string> }
export interface ListOptions {
  /** Only keys strictly greater than this key (lexicographic, UTF-8 byte order). */
  startAfter?: string;
  /** Stop after this many keys in total. */
  limit?: number;
  /** Keys fetched per request (S3 MaxKeys, ≤ 1000). */
  pageSize?: number;
  signal?: AbortSignal;
}

/**
 * Keys are relative to the store's configured root (folder or bucket prefix), use `/` as separator
 * and are validated with `validateKey`: nothing can escape the root.
 */
export interface ObjectStore {
  /** 'local' | 's3' (later 'gcs', 'azure'). */
  readonly kind: string;
  /** Creates the object only if absent; throws ObjectExistsError if the key already exists.
   *  A failure never leaves a partial object at the key. */
  putNew(key: string, body: ObjectBody, opts?: PutOptions): Promise<PutResult>;
  /** Whole object; throws ObjectNotFoundError if absent. */
  get(key: string, opts?: { signal?: AbortSignal }): Promise<Uint8Array>;
  /** Object as a stream; throws ObjectNotFoundError if absent. */
  getStream(key: string, opts?: { signal?: AbortSignal }): Promise<Readable>;
  /** Size, time and metadata, or undefined if absent. */
  head(key: string): Promise<HeadResult | undefined>;
  /** Keys starting with `prefix` (a plain string prefix, '' for all), in lexicographic order, paged. */
  list(prefix: string, opts?: ListOptions): AsyncIterable<ObjectInfo>;
  /** Removes the object; absent keys are not an error. Only for check probes, spool retention and
   *  the destination's opt-in deletion of superseded generations. */
  delete(key: string): Promise<void>;
  /** Human description for logs, never containing secrets. */
  describe(): string;
  /** Releases clients and sockets. */
  close(): Promise<void>;
}

/** The key already exists: the store refused to overwrite it. Fatal for the destination. */
export class ObjectExistsError extends SystemError {
  readonly key: string;
  constructor(domain: string, key: string, where: string) {
    super(`${domain}: object "${key}" already exists in ${where}; refusing to overwrite it. ` +
      'Another writer uses the same prefix and naming, or the sequence was reset: use a different prefix.');
    this.key = key;
  }
}
export class ObjectNotFoundError extends SystemError {
  readonly key: string;
  constructor(domain: string, key: string, where: string) {
    super(`${domain}: object "${key}" does not exist in ${where}`);
    this.key = key;
  }
}
/** A key (or prefix) that could escape the root or is not portable. A bug in naming, or bad config. */
export class InvalidKeyError extends SystemError {
  readonly key: string;
  constructor(key: string, reason: string) {
    super(`store: invalid object key ${JSON.stringify(key)}: ${reason}`);
    this.key = key;
  }
}

/** Names starting with this are temp files of the local store; keys may not use it. */
export const TEMP_PREFIX = '.tmp-';
export const MAX_KEY_BYTES = 1024;

function segmentProblem(seg: string): string | undefined {
  if (seg === '') return 'empty path segment (leading, trailing or double "/")';
  if (seg === '.' || seg === '..') return `"${seg}" segment`;
  if (seg.startsWith(TEMP_PREFIX)) return `segment starts with reserved "${TEMP_PREFIX}"`;
  return undefined;
}
function charProblem(s: string): string | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return c === 0 ? 'NUL character' : `control character 0x${c.toString(16)}`;
    if (c === 0x5c) return 'backslash';
  }
  if (/^[A-Za-z]:/.test(s)) return 'drive letter';
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s)) return 'lone surrogate (not valid UTF-8)';
  return undefined;
}

/** Throws InvalidKeyError unless `key` is a safe relative object key: `a/b/c.parquet`. */
export function validateKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidKeyError(String(key), 'empty');
  const c = charProblem(key);
  if (c) throw new InvalidKeyError(key, c);
  if (key.startsWith('/')) throw new InvalidKeyError(key, 'absolute path');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new InvalidKeyError(key, `longer than ${MAX_KEY_BYTES} bytes`);
  for (const seg of key.split('/')) {
    const p = segmentProblem(seg);
    if (p) throw new InvalidKeyError(key, p);
  }
  return key;
}

/** A list prefix: '' or a string that could start a valid key (may end with '/' or mid-segment). */
export function validatePrefix(prefix: string): string {
  if (prefix === '') return prefix;
  const c = charProblem(prefix);
  if (c) throw new InvalidKeyError(prefix, c);
  if (prefix.startsWith('/')) throw new InvalidKeyError(prefix, 'absolute path');
  const segs = prefix.split('/');
  segs.forEach((seg, i) => {
    const last = i === segs.length - 1;
    if (last && (seg === '' || seg === '.')) return; // 'a/' or the start of 'a/.x'
    if (last && seg === '..') throw new InvalidKeyError(prefix, '".." segment');
    const p = segmentProblem(seg);
    if (p && !(last && TEMP_PREFIX.startsWith(seg))) throw new InvalidKeyError(prefix, p);
  });
  return prefix;
}

/** Normalises a configured root prefix (bucket path): trims slashes, validates, '' or ends with '/'. */
export function normaliseRootPrefix(prefix: string | undefined): string {
  const p = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  if (p === '') return '';
  validateKey(p);
  return `${p}/`;
}

/** Lexicographic order of keys as S3 lists them (UTF-8 byte order = code point order). */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (0xD800–0xDFFF) encode code points above 0xFFFF: they sort after 0xE000–0xFFFF.
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Any accepted body as an async iterable of byte chunks. */
export async function* bodyChunks(body: ObjectBody, signal?: AbortSignal): AsyncIterable<Uint8Array> {
  if (body instanceof Uint8Array) {
    signal?.throwIfAborted();
    yield body;
    return;
  }
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    signal?.throwIfAborted();
    yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  }
  signal?.throwIfAborted();
}
