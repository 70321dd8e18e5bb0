// One Parquet file being written by parquet-wasm (arrow-rs): sealed row groups in, file bytes out,
// row group by row group, so memory stays bounded by a few row groups whatever the file size.
// Runs inside the encoding worker (parquet-worker.ts); free of threads itself.
import * as pw from 'parquet-wasm';
import type * as A from 'apache-arrow';
import { arrowSchema, batchToIpc, buildRecordBatch } from './arrow-batch.js';
import type { SealedGroup } from './column-buffers.js';
import type { ColumnKind } from './columns.js';

export interface SessionOptions {
  columns: { name: string; kind: ColumnKind }[];
  compression: string;
  rowGroupRows: number;
}

export interface SessionEvents {
  /** The writer took a row group (the sender may send another). */
  taken(): void;
  /** Encoded file bytes, in order. Returns a promise to apply backpressure, or nothing. */
  chunk(bytes: Uint8Array): void | Promise<void>;
}

const CODECS: Record<string, pw.Compression> = {
  zstd: pw.Compression.ZSTD, snappy: pw.Compression.SNAPPY, gzip: pw.Compression.GZIP, none: pw.Compression.UNCOMPRESSED,
};

export class ParquetSession {
  private readonly schema: A.Schema;
  private readonly queue: { batch: pw.RecordBatch; last: boolean }[] = [];
  private closed = false;
  private wake: (() => void) | undefined;
  private failure: Error | undefined;
  readonly done: Promise<void>;

  constructor(private readonly opts: SessionOptions, private readonly events: SessionEvents) {
    this.schema = arrowSchema(opts.columns);
    const input = new ReadableStream<pw.RecordBatch>({
      pull: async (c) => {
        while (!this.queue.length && !this.closed) await new Promise<void>((r) => { this.wake = r; });
        const q = this.queue.shift();
        if (q) { c.enqueue(q.batch); if (q.last) this.events.taken(); } else c.close();
      },
    }, { highWaterMark: 0 });
    this.done = this.run(input);
    this.done.catch(() => undefined);
  }

  /** Queues a row group (converted to wasm memory at once; the buffers can be dropped). */
  add(group: SealedGroup): void {
    if (this.failure) throw this.failure;
    const batch = buildRecordBatch(this.schema, this.opts.columns, group);
    const table = pw.Table.fromIPCStream(batchToIpc(this.schema, batch));
    const wasmBatches = table.recordBatches();
    table.free();
    // Report the row group taken once its last batch is pulled.
    wasmBatches.forEach((batch, i) => this.queue.push({ batch, last: i === wasmBatches.length - 1 }));
    if (!wasmBatches.length) this.events.taken();
    this.wake?.();
  }

  finish(): Promise<void> {
    this.closed = true;
    this.wake?.();
    return this.done;
  }

  abort(error: Error): void {
    this.failure ??= error;
    this.closed = true;
    for (const q of this.queue.splice(0)) q.batch.free();
    this.wake?.();
  }

  private async run(input: ReadableStream<pw.RecordBatch>): Promise<void> {
    const props = new pw.WriterPropertiesBuilder()
      .setCompression(CODECS[this.opts.compression] ?? pw.Compression.ZSTD)
      .setMaxRowGroupSize(this.opts.rowGroupRows)
      .setCreatedBy('cio-dw destination-bucket')
      .build();
    try {
      const out = (await pw.transformParquetStream(input, props)) as ReadableStream<Uint8Array>;
      const reader = out.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (this.failure) throw this.failure;
        const p = this.events.chunk(value);
        if (p) await p;
      }
    } catch (e) {
      this.failure ??= e instanceof Error ? e : new Error(String(e));
      throw this.failure;
    }
  }
}
