// ObjectStore on a local folder. New objects are written to a dot-prefixed temp file in the target
// folder, fsynced, then published with link(2) (fails with EEXIST: never replaces), and the folder is
// fsynced. A crash leaves at most a temp file, which list() never shows.
import { randomUUID } from 'node:crypto';
import { constants as fsc, type Dirent } from 'node:fs';
import { link, mkdir, open, readdir, readFile, realpath, rmdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { ConfigError, SystemError, TransientError, type ConnectorError } from '../errors.js';
import {
  bodyChunks, compareKeys, InvalidKeyError, ObjectExistsError, ObjectNotFoundError, TEMP_PREFIX, validateKey,
  validatePrefix, type HeadResult, type ListOptions, type ObjectBody, type ObjectInfo, type ObjectStore,
  type PutOptions, type PutResult,
} from './object-store.js';

export interface LocalFolderStoreOptions {
  /** Prefix of error messages ('folder' by default; e.g. 'spool'). */
  domain?: string;
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

export class LocalFolderStore implements ObjectStore {
  readonly kind = 'local';
  readonly root: string;
  private readonly domain: string;

  constructor(rootDir: string, opts: LocalFolderStoreOptions = {}) {
    if (!rootDir) throw new ConfigError('folder: no destination folder configured');
    this.root = resolve(rootDir);
    this.domain = opts.domain ?? 'folder';
  }

  describe(): string { return `local folder ${this.root}`; }
  async close(): Promise<void> { /* nothing held */ }

  private pathOf(key: string): string {
    const segs = validateKey(key).split('/');
    for (const s of segs) if (Buffer.byteLength(s) > 255) throw new InvalidKeyError(key, 'path segment longer than 255 bytes');
    return join(this.root, ...segs);
  }

  private fsError(e: unknown, action: string, path: string): ConnectorError {
    const code = errno(e);
    const what = `${this.domain}: cannot ${action} ${path}`;
    const opts = { internal: String((e as Error)?.stack ?? e), cause: e };
    switch (code) {
      case 'EACCES': case 'EPERM': case 'EROFS':
        return new ConfigError(`${what}: permission denied (${code}). Make ${this.root} writable by the user running the connector.`, opts);
      case 'ENOTDIR': case 'EISDIR':
        return new ConfigError(`${what}: a file or folder is in the way (${code}). Choose an empty folder.`, opts);
      case 'ENOSPC': case 'EDQUOT':
        return new TransientError(`${what}: no space left on the device (${code}). Free some space and retry.`, opts);
      case 'EMFILE': case 'ENFILE': case 'EIO': case 'EBUSY':
        return new TransientError(`${what}: ${code}. Retry later.`, opts);
      default:
        return new SystemError(`${what}: ${(e as Error)?.message ?? String(e)}`, opts);
    }
  }

  /**
   * Throws unless `path` (or, when it does not exist yet, its deepest existing ancestor) really lies
   * inside the root: a symbolic link planted in the root must never lead a write or read outside it.
   */
  private async assertInsideRoot(path: string, key: string): Promise<void> {
    const rootReal = await realpath(this.root).catch(() => this.root);
    for (let p = path; ; p = dirname(p)) {
      let real: string;
      try {
        real = await realpath(p);
      } catch (e) {
        if (errno(e) === 'ENOENT' && (p === this.root || p === dirname(p))) return; // nothing there yet
        if (errno(e) === 'ENOENT') continue;
        throw this.fsError(e, 'resolve', p);
      }
      if (real === rootReal || real.startsWith(rootReal + sep)) return;
      throw new ConfigError(`${this.domain}: the path of "${key}" leads outside ${this.root} through a symbolic link (to ${real}); ` +
        'refusing to follow it. Remove the link or choose another folder.');
    }
  }

  async putNew(key: string, body: ObjectBody, opts: PutOptions = {}): Promise<PutResult> {
    const final = this.pathOf(key);
    const dir = dirname(final);
    opts.signal?.throwIfAborted();
    await this.assertInsideRoot(dir, key);
    if (await stat(final).then(() => true, () => false)) throw new ObjectExistsError(this.domain, key, this.describe());
    const tmp = join(dir, `${TEMP_PREFIX}${randomUUID()}`);
    let fh: FileHandle | undefined;
    for (let attempt = 0; fh === undefined; attempt++) {
      try {
        await this.ensureDir(dir);
        fh = await open(tmp, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, 0o644);
      } catch (e) {
        // A concurrent delete() may prune the (empty) folder between mkdir and open: try again.
        if (errno(e) === 'ENOENT' && attempt < 3) continue;
        throw this.fsError(e, 'create a file in', dir);
      }
    }
    let bytes = 0;
    try {
      try {
        for await (const chunk of bodyChunks(body, opts.signal)) {
          let off = 0;
          while (off < chunk.byteLength) {
            const { bytesWritten } = await fh.write(chunk, off, chunk.byteLength - off);
            off += bytesWritten;
          }
          bytes += chunk.byteLength;
        }
        await fh.sync();
      } catch (e) {
        throw isFsError(e) ? this.fsError(e, 'write', tmp) : e;
      } finally {
        await fh.close().catch(() => undefined);
      }
      opts.signal?.throwIfAborted();
      try {
        await link(tmp, final);
      } catch (e) {
        if (errno(e) === 'EEXIST') throw new ObjectExistsError(this.domain, key, this.describe());
        throw this.fsError(e, 'publish', final);
      }
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
    await fsyncDir(dir);
    return { key, bytes };
  }

  /** mkdir -p, then fsync the parents of every folder it created so the new entries are durable. */
  private async ensureDir(dir: string): Promise<void> {
    const first = await mkdir(dir, { recursive: true });
    if (first === undefined) return;
    for (let d = dir; ; d = dirname(d)) {
      const parent = dirname(d);
      await fsyncDir(parent);
      if (d === first || parent === d) break;
    }
  }

  async get(key: string, opts: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const path = this.pathOf(key);
    await this.assertInsideRoot(path, key);
    try {
      return await readFile(path, opts.signal ? { signal: opts.signal } : {});
    } catch (e) {
      if (errno(e) === 'ENOENT' || errno(e) === 'EISDIR') throw new ObjectNotFoundError(this.domain, key, this.describe());
      throw isFsError(e) ? this.fsError(e, 'read', path) : e;
    }
  }

  async getStream(key: string, opts: { signal?: AbortSignal } = {}): Promise<Readable> {
    const path = this.pathOf(key);
    await this.assertInsideRoot(path, key);
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
      if (!(await fh.stat()).isFile()) { await fh.close(); throw Object.assign(new Error('not a file'), { code: 'EISDIR' }); }
    } catch (e) {
      if (errno(e) === 'ENOENT' || errno(e) === 'EISDIR') throw new ObjectNotFoundError(this.domain, key, this.describe());
      throw this.fsError(e, 'read', path);
    }
    return fh.createReadStream(opts.signal ? { signal: opts.signal } : {});
  }

  async head(key: string): Promise<HeadResult | undefined> {
    const path = this.pathOf(key);
    try {
      const st = await stat(path);
      return st.isFile() ? { key, size: st.size, lastModified: st.mtime, metadata: {} } : undefined;
    } catch (e) {
      if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') return undefined;
      throw this.fsError(e, 'read', path);
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      await unlink(path);
    } catch (e) {
      if (errno(e) === 'ENOENT') return;
      throw this.fsError(e, 'delete', path);
    }
    // Prune now-empty folders up to (not including) the root, like S3 which has no folders.
    for (let d = dirname(path); d !== this.root && d.startsWith(this.root); d = dirname(d)) {
      try { await rmdir(d); } catch { break; }
    }
    await fsyncDir(dirname(path)).catch(() => undefined);
  }

  async *list(prefix: string, opts: ListOptions = {}): AsyncIterable<ObjectInfo> {
    validatePrefix(prefix);
    const { startAfter } = opts;
    let remaining = opts.limit ?? Number.POSITIVE_INFINITY;
    if (remaining <= 0) return;
    const slash = prefix.lastIndexOf('/');
    const self = this;
    async function* walk(dirKey: string): AsyncGenerator<ObjectInfo> {
      opts.signal?.throwIfAborted();
      const dirPath = dirKey === '' ? self.root : join(self.root, ...dirKey.split('/'));
      let entries: Dirent[];
      try {
        entries = await readdir(dirPath, { withFileTypes: true });
      } catch (e) {
        if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') return;
        throw self.fsError(e, 'list', dirPath);
      }
      const items = entries
        .filter((d) => !d.name.startsWith(TEMP_PREFIX) && (d.isFile() || d.isDirectory()))
        .map((d) => {
          const key = dirKey === '' ? d.name : `${dirKey}/${d.name}`;
          return { key, dir: d.isDirectory(), sortKey: d.isDirectory() ? `${key}/` : key };
        })
        .sort((a, b) => compareKeys(a.sortKey, b.sortKey));
      for (const it of items) {
        if (it.dir) {
          const dk = it.sortKey;
          if (!dk.startsWith(prefix) && !prefix.startsWith(dk)) continue;
          // Every key under dk sorts before startAfter: skip the whole folder.
          if (startAfter !== undefined && compareKeys(dk, startAfter) < 0 && !startAfter.startsWith(dk)) continue;
          yield* walk(it.key);
        } else {
          if (!it.key.startsWith(prefix)) continue;
          if (startAfter !== undefined && compareKeys(it.key, startAfter) <= 0) continue;
          let st;
          try { st = await stat(join(self.root, ...it.key.split('/'))); } catch { continue; /* deleted meanwhile */ }
          yield { key: it.key, size: st.size, lastModified: st.mtime };
        }
        if (remaining <= 0) return;
      }
    }
    for await (const info of walk(slash >= 0 ? prefix.slice(0, slash) : '')) {
      yield info;
      if (--remaining <= 0) return;
    }
  }
}

function isFsError(e: unknown): boolean {
  const code = errno(e);
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try { await fh.sync(); } finally { await fh.close(); }
}
