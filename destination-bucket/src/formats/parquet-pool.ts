// The main-thread side of the Parquet encoding worker: one worker per process, shared by every open
// Parquet file, started on first use. It keeps the process alive only while a file is open.
import { Worker } from 'node:worker_threads';
import { transferList, type SealedGroup } from './column-buffers.js';
import type { FromWorker, ToWorker } from './parquet-worker.js';
import type { SessionOptions } from './parquet-session.js';

export interface SessionHandlers {
  taken(): void;
  chunk(bytes: Uint8Array): void;
  done(): void;
  error(e: Error): void;
}

export interface PoolSession {
  send(group: SealedGroup): void;
  finish(): void;
  abort(reason: string): void;
}

// The built package runs dist/*.js. Tests run the sources through tsx: the worker then registers
// tsx itself before loading its .ts entry (Node 20 does not apply --import hooks to a worker's entry).
const FROM_SOURCE = import.meta.url.endsWith('.ts');

function startWorker(): Worker {
  if (!FROM_SOURCE) return new Worker(new URL('./parquet-worker.js', import.meta.url));
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./parquet-worker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(api)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`, { eval: true });
}

let worker: Worker | undefined;
const handlers = new Map<number, SessionHandlers>();
let nextId = 1;

function failAll(e: Error): void {
  worker = undefined;
  const hs = [...handlers.values()];
  handlers.clear();
  for (const h of hs) h.error(e);
}

function getWorker(): Worker {
  if (worker) return worker;
  const w = startWorker();
  w.on('message', (m: FromWorker) => {
    const h = handlers.get(m.id);
    if (!h) return;
    switch (m.t) {
      case 'taken': h.taken(); break;
      case 'chunk': h.chunk(m.bytes); break;
      case 'done': handlers.delete(m.id); release(); h.done(); break;
      case 'error': {
        handlers.delete(m.id); release();
        const e = new Error(`bucket: parquet encoding failed: ${m.message}`);
        if (m.stack) e.stack = m.stack;
        h.error(e);
        break;
      }
    }
  });
  w.on('error', (e) => { if (worker === w) failAll(e); });
  w.on('exit', (code) => { if (worker === w) failAll(new Error(`bucket: the parquet encoding worker exited (code ${code})`)); });
  worker = w;
  return w;
}

function release(): void {
  if (handlers.size === 0) worker?.unref();
}

/** Opens a Parquet file in the encoding worker. */
export function openSession(opts: SessionOptions, h: SessionHandlers): PoolSession {
  const w = getWorker();
  const id = nextId++;
  handlers.set(id, h);
  w.ref();
  const post = (m: ToWorker, transfer?: ArrayBuffer[]): void => w.postMessage(m, transfer);
  post({ t: 'open', id, opts });
  return {
    send: (group) => post({ t: 'group', id, group }, transferList(group)),
    finish: () => post({ t: 'finish', id }),
    abort: (reason) => {
      if (!handlers.delete(id)) return;
      release();
      post({ t: 'abort', id, message: reason });
    },
  };
}
