// The Parquet encoding worker: Arrow building, IPC and parquet-wasm (arrow-rs + zstd) run here, so
// they overlap with reading, parsing and coercion on the main thread. Several files (sessions) can be
// open at once; messages are routed by session id. Protocol: see parquet-pool.ts.
import { parentPort } from 'node:worker_threads';
import type { SealedGroup } from './column-buffers.js';
import { ParquetSession, type SessionOptions } from './parquet-session.js';

export type ToWorker =
  | { t: 'open'; id: number; opts: SessionOptions }
  | { t: 'group'; id: number; group: SealedGroup }
  | { t: 'finish'; id: number }
  | { t: 'abort'; id: number; message: string };

export type FromWorker =
  | { t: 'taken'; id: number }
  | { t: 'chunk'; id: number; bytes: Uint8Array }
  | { t: 'done'; id: number }
  | { t: 'error'; id: number; message: string; stack?: string };

const port = parentPort!;
const sessions = new Map<number, ParquetSession>();
const post = (m: FromWorker, transfer?: ArrayBuffer[]): void => port.postMessage(m, transfer);
const fail = (id: number, e: unknown): void => {
  const err = e instanceof Error ? e : new Error(String(e));
  sessions.get(id)?.abort(err);
  sessions.delete(id);
  post({ t: 'error', id, message: err.message, ...(err.stack ? { stack: err.stack } : {}) });
};

port.on('message', (m: ToWorker) => {
  try {
    switch (m.t) {
      case 'open': {
        const s = new ParquetSession(m.opts, {
          taken: () => post({ t: 'taken', id: m.id }),
          chunk: (bytes) => {
            const own = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength ? bytes : bytes.slice();
            post({ t: 'chunk', id: m.id, bytes: own }, [own.buffer as ArrayBuffer]);
          },
        });
        sessions.set(m.id, s);
        s.done.catch((e) => { if (sessions.has(m.id)) fail(m.id, e); });
        break;
      }
      case 'group': {
        const s = sessions.get(m.id);
        if (s) s.add(m.group);
        break;
      }
      case 'finish': {
        const s = sessions.get(m.id);
        if (!s) break;
        s.finish().then(() => { sessions.delete(m.id); post({ t: 'done', id: m.id }); }, (e) => fail(m.id, e));
        break;
      }
      case 'abort':
        sessions.get(m.id)?.abort(new Error(m.message));
        sessions.delete(m.id);
        break;
    }
  } catch (e) {
    fail(m.id, e);
  }
});
