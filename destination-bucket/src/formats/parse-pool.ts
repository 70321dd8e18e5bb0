// The main-thread side of the parse worker(s): raw line batches in, sealed row groups out (in the
// order asked, per caller). Started on first use; keeps the process alive only while batches are out.
import type { Worker } from 'node:worker_threads';
import { InputError } from '@cio-dw/common';
import { startWorker } from './parquet-pool.js';
import type { FromParser, ToParser } from './parse-worker.js';
import { rowsFromRaw, type RawBatch, type RawRows } from './raw-rows.js';

// One worker: on 2 cores, two parse workers beside the encoder and the main thread measured slower.
const WORKERS = 1;
// Parse on the calling thread when this many batches are already out to the worker.
const LOCAL_WHEN_WAITING = 1;
// A larger young generation: parsing allocates many short-lived objects, and scavenges dominate otherwise.
const YOUNG_GENERATION_MB = 32;

interface Slot { worker: Worker | undefined; waiting: Map<number, { resolve(r: RawRows): void; reject(e: Error): void }> }
const slots: Slot[] = Array.from({ length: WORKERS }, () => ({ worker: undefined, waiting: new Map() }));
let nextId = 1;
let turn = 0;

function failAll(slot: Slot, e: Error): void {
  slot.worker = undefined;
  const ws = [...slot.waiting.values()];
  slot.waiting.clear();
  for (const w of ws) w.reject(e);
}

function workerOf(slot: Slot): Worker {
  if (slot.worker) return slot.worker;
  const w = startWorker('parse-worker', { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  w.on('message', (m: FromParser) => {
    const h = slot.waiting.get(m.id);
    if (!h) return;
    slot.waiting.delete(m.id);
    if (slot.waiting.size === 0) w.unref();
    if (m.ok) { h.resolve(m.rows); return; }
    const e = m.input ? new InputError(m.message) : new Error(`bucket: parsing records failed: ${m.message}`);
    if (!m.input && m.stack) e.stack = m.stack;
    h.reject(e);
  });
  w.on('error', (e) => { if (slot.worker === w) failAll(slot, e); });
  w.on('exit', (code) => { if (slot.worker === w) failAll(slot, new Error(`bucket: the parse worker exited (code ${code})`)); });
  slot.worker = w;
  return w;
}

/** Parses, validates and coerces a batch of raw RECORD lines into one sealed row group. */
export function parseRawBatch(batch: RawBatch): Promise<RawRows> {
  const slot = slots[turn++ % WORKERS]!;
  // Work sharing: while the worker is busy with another batch, the calling thread (otherwise mostly
  // waiting) parses this one itself. Callers keep the order of their row groups either way.
  if (slot.waiting.size >= LOCAL_WHEN_WAITING) {
    try { return Promise.resolve(rowsFromRaw(batch)); } catch (e) { return Promise.reject(e as Error); }
  }
  const w = workerOf(slot);
  const id = nextId++;
  return new Promise<RawRows>((resolve, reject) => {
    slot.waiting.set(id, { resolve, reject });
    w.ref();
    w.postMessage({ id, batch } satisfies ToParser, [batch.bytes.buffer as ArrayBuffer, batch.numbers.buffer as ArrayBuffer]);
  });
}
