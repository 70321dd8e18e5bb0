// The parse worker: turns batches of raw RECORD lines into sealed row groups (raw-rows.ts), so JSON
// parsing and coercion run beside the main thread (reading, routing) and the Parquet encoder worker.
import { parentPort } from 'node:worker_threads';
import { transferList } from './column-buffers.js';
import { rowsFromRaw, type RawBatch, type RawRows } from './raw-rows.js';

export type ToParser = { id: number; batch: RawBatch };
export type FromParser =
  | { id: number; ok: true; rows: RawRows }
  | { id: number; ok: false; message: string; input: boolean; stack?: string };

const port = parentPort!;
port.on('message', (m: ToParser) => {
  let out: FromParser;
  try {
    const rows = rowsFromRaw(m.batch);
    port.postMessage({ id: m.id, ok: true, rows } satisfies FromParser, transferList(rows.group));
    return;
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    out = { id: m.id, ok: false, message: err.message, input: err.name === 'InputError', ...(err.stack ? { stack: err.stack } : {}) };
  }
  port.postMessage(out);
});
