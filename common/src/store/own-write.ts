// Create-only writes are retried by the SDKs: a retry whose first attempt landed gets "already exists"
// (S3/GCS 412, Azure 409). Each write carries a random id in its metadata, so such a collision can be
// told apart from another writer's object.
import { ObjectExistsError, type HeadResult, type PutResult } from './object-store.js';

/** The PutResult when `mapped` is a collision with our own earlier attempt; otherwise throws `mapped`. */
export async function ownWriteOrThrow(mapped: Error, head: (key: string) => Promise<HeadResult | undefined>,
  key: string, bytes: number, idMetadata: string, writeId: string): Promise<PutResult> {
  if (mapped instanceof ObjectExistsError) {
    const h = await head(key).catch(() => undefined);
    if (h?.metadata[idMetadata] === writeId) return { key, bytes, ...(h.etag ? { etag: h.etag } : {}) };
  }
  throw mapped;
}
