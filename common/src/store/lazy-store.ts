// An ObjectStore that loads its implementation (and its cloud SDK) on first use, so a connector
// process pays the import time of @azure/storage-blob or @google-cloud/storage only when its config
// names that store. Config problems that need no SDK are checked before, by the factory.
import type { Readable } from 'node:stream';
import type { HeadResult, ListOptions, ObjectBody, ObjectInfo, ObjectStore, PutOptions, PutResult } from './object-store.js';

export class LazyStore implements ObjectStore {
  private loaded: Promise<ObjectStore> | undefined;

  constructor(readonly kind: string, private readonly description: string, private readonly load: () => Promise<ObjectStore>) {}

  private store(): Promise<ObjectStore> {
    return this.loaded ??= this.load();
  }

  describe(): string { return this.description; }
  async putNew(key: string, body: ObjectBody, opts?: PutOptions): Promise<PutResult> { return (await this.store()).putNew(key, body, opts); }
  async get(key: string, opts?: { signal?: AbortSignal }): Promise<Uint8Array> { return (await this.store()).get(key, opts); }
  async getStream(key: string, opts?: { signal?: AbortSignal }): Promise<Readable> { return (await this.store()).getStream(key, opts); }
  async head(key: string): Promise<HeadResult | undefined> { return (await this.store()).head(key); }
  async delete(key: string): Promise<void> { return (await this.store()).delete(key); }
  async *list(prefix: string, opts?: ListOptions): AsyncIterable<ObjectInfo> { yield* (await this.store()).list(prefix, opts); }
  async close(): Promise<void> {
    const s = await this.loaded?.catch(() => undefined);
    await s?.close();
  }
}
