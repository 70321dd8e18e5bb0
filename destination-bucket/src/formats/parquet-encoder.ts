// Parquet file encoder: buffers one row group of column values, turns it into an Arrow batch and
// streams it through parquet-wasm's writer (arrow-rs) into the object body, row group by row group,
// so memory stays bounded by the row-group size whatever the file size.
import * as pw from 'parquet-wasm';
import type * as A from 'apache-arrow';
import { arrowSchema, batchToIpc, buildRecordBatch } from './arrow-batch.js';
import type { Coerced } from './coerce.js';
import { countingBody, writeChunk, type EncoderOptions, type FileEncoder } from './encoder.js';

const CODECS: Record<string, pw.Compression> = {
  zstd: pw.Compression.ZSTD, snappy: pw.Compression.SNAPPY, gzip: pw.Compression.GZIP, none: pw.Compression.UNCOMPRESSED,
};

export class ParquetEncoder implements FileEncoder {
  readonly body;
  rows = 0;
  outputBytes = 0;
  bufferedBytes = 0;
  private readonly schema: A.Schema;
  private readonly rowGroupRows: number;
  private readonly rowGroupBytes: number;
  private cols: Coerced[][];
  private n = 0;
  private readonly queue: pw.RecordBatch[] = [];
  private closed = false;
  private wake: (() => void) | undefined;
  private taken: (() => void) | undefined;
  private pump: Promise<void> | undefined;
  private failure: Error | undefined;
  private readonly input: ReadableStream<pw.RecordBatch>;

  constructor(private readonly opts: EncoderOptions) {
    this.body = countingBody((b) => { this.outputBytes += b; });
    this.schema = arrowSchema(opts.columns);
    this.rowGroupRows = Math.max(1, opts.rowGroupRows ?? 25_000);
    this.rowGroupBytes = opts.rowGroupBytes ?? 64 * 1024 * 1024;
    this.cols = opts.columns.map(() => []);
    this.input = new ReadableStream<pw.RecordBatch>({
      pull: async (c) => {
        while (!this.queue.length && !this.closed) await new Promise<void>((r) => { this.wake = r; });
        const b = this.queue.shift();
        if (b) c.enqueue(b); else c.close();
        this.taken?.();
      },
    }, { highWaterMark: 0 });
  }

  append(values: readonly Coerced[], approxBytes: number): void | Promise<void> {
    const i = this.n++;
    for (let c = 0; c < values.length; c++) this.cols[c]![i] = values[c]!;
    this.rows++;
    this.bufferedBytes += approxBytes;
    if (this.n >= this.rowGroupRows || this.bufferedBytes >= this.rowGroupBytes) return this.emitRowGroup();
  }

  private async emitRowGroup(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.n === 0) return;
    const batch = buildRecordBatch(this.schema, this.opts.columns, this.cols, this.n);
    const table = pw.Table.fromIPCStream(batchToIpc(this.schema, batch));
    const wasmBatches = table.recordBatches();
    table.free();
    this.cols = this.opts.columns.map(() => []);
    this.n = 0;
    this.bufferedBytes = 0;
    this.queue.push(...wasmBatches);
    this.wake?.();
    if (!this.pump) this.pump = this.run();
    // Backpressure: wait until the writer has taken the batch (it only pulls while the body drains).
    while (this.queue.length && !this.failure) await new Promise<void>((r) => { this.taken = r; });
    if (this.failure) throw this.failure;
  }

  private async run(): Promise<void> {
    const props = new pw.WriterPropertiesBuilder()
      .setCompression(CODECS[this.opts.compression] ?? pw.Compression.ZSTD)
      .setMaxRowGroupSize(this.rowGroupRows)
      .setCreatedBy('cio-dw destination-bucket')
      .build();
    try {
      const out = (await pw.transformParquetStream(this.input, props)) as ReadableStream<Uint8Array>;
      const reader = out.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        await writeChunk(this.body, value);
      }
      this.body.end();
    } catch (e) {
      this.failure = e instanceof Error ? e : new Error(String(e));
      this.body.destroy(this.failure);
      this.taken?.();
    }
  }

  async finish(): Promise<void> {
    await this.emitRowGroup();
    this.closed = true;
    this.wake?.();
    if (!this.pump) this.body.end(); // no rows at all: an empty body (the sink never does this)
    await this.pump;
    if (this.failure) throw this.failure;
  }

  abort(error: Error): void {
    this.failure ??= error;
    this.closed = true;
    for (const b of this.queue.splice(0)) b.free();
    this.wake?.();
    this.taken?.();
    this.body.destroy(error);
  }
}
