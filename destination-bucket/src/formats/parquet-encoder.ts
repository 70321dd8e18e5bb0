// Parquet file encoder: rows go straight into typed column buffers (column-buffers.ts); each full row
// group is handed, without copying, to the encoding worker (Arrow + parquet-wasm), whose output
// streams back into the object body. At most one row group waits for the worker and the body's
// backpressure stops new ones, so memory stays bounded by a few row groups whatever the file size.
import type { Coerced } from './coerce.js';
import { ColumnBuffers } from './column-buffers.js';
import { countingBody, type EncoderOptions, type FileEncoder } from './encoder.js';
import { openSession, type PoolSession } from './parquet-pool.js';
import { parseRawBatch } from './parse-pool.js';
import type { RawLine } from '@cio-dw/common';
import type { SealedGroup } from './column-buffers.js';

const MAX_GROUPS_IN_FLIGHT = 1;
// Raw batches being parsed count too: one parsing while one is encoded.
const MAX_RAW_IN_FLIGHT = 2;

export class ParquetEncoder implements FileEncoder {
  readonly body;
  rows = 0;
  outputBytes = 0;
  bufferedBytes = 0;
  private readonly rowGroupRows: number;
  private readonly rowGroupBytes: number;
  private readonly buffers: ColumnBuffers;
  private session: PoolSession | undefined;
  private inFlight = 0;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private doneResolve!: () => void;
  private doneReject!: (e: Error) => void;
  private readonly done: Promise<void>;
  typecastErrors = 0;
  // Raw lines waiting to be sent to the parse worker (views of the input chunks) and their numbers.
  private raw: Buffer[] = [];
  private rawNumbers: number[] = [];
  private rawBytes = 0;
  private maxRecordBytes = 0;
  private maxInFlight = MAX_GROUPS_IN_FLIGHT;
  // Row groups reach the encoding worker in the order they were made, whichever path made them.
  private forward: Promise<void> = Promise.resolve();

  constructor(private readonly opts: EncoderOptions) {
    this.body = countingBody((b) => { this.outputBytes += b; });
    this.rowGroupRows = Math.max(1, opts.rowGroupRows ?? 10_000);
    this.rowGroupBytes = opts.rowGroupBytes ?? 64 * 1024 * 1024;
    this.buffers = new ColumnBuffers(opts.columns, this.rowGroupRows);
    this.done = new Promise<void>((res, rej) => { this.doneResolve = res; this.doneReject = rej; });
    this.done.catch(() => undefined);
    this.body.on('drain', () => this.wakeUp());
    // A failure destroys the body; the upload and `finish` report it (the body may not be piped yet).
    this.body.on('error', () => undefined);
    this.body.on('close', () => {
      if (!this.body.writableFinished) this.setFailure((this.body.errored as Error | null) ?? new Error('bucket: output stream closed'));
    });
  }

  append(values: readonly Coerced[], approxBytes: number): void | Promise<void> {
    if (this.failure) throw this.failure;
    if (this.raw.length) this.dispatchRaw();
    this.buffers.append(values);
    this.rows++;
    this.bufferedBytes += approxBytes;
    if (this.buffers.full || this.bufferedBytes >= this.rowGroupBytes) return this.emitRowGroup();
  }

  private open(): PoolSession {
    return openSession({
      columns: this.opts.columns.map((c) => ({ name: c.name, kind: c.kind })),
      compression: this.opts.compression, rowGroupRows: this.rowGroupRows,
    }, {
      taken: () => { this.inFlight--; this.wakeUp(); },
      chunk: (bytes) => { if (!this.body.destroyed) this.body.write(bytes); },
      done: () => { this.body.end(); this.doneResolve(); },
      error: (e) => this.setFailure(e),
    });
  }

  appendRaw(line: RawLine, maxRecordBytes: number): void | Promise<void> {
    if (this.failure) throw this.failure;
    if (this.buffers.rows) this.queueGroup(this.buffers.seal());
    this.raw.push(line.buf.subarray(line.start, line.end));
    this.rawNumbers.push(line.number);
    this.rawBytes += line.end - line.start + 1;
    this.maxRecordBytes = maxRecordBytes;
    this.rows++;
    this.bufferedBytes += line.end - line.start + 1;
    if (this.raw.length >= this.rowGroupRows || this.rawBytes >= this.rowGroupBytes) return this.emitRowGroup();
  }

  /** Sends the buffered raw lines to the parse worker; their row group joins the ordered queue. */
  private dispatchRaw(): void {
    const ctx = this.opts.rowContext;
    if (!ctx) throw new Error('bucket: raw lines need a row context');
    const bytes = new Uint8Array(this.rawBytes);
    let at = 0;
    for (const b of this.raw) { bytes.set(b, at); at += b.length; bytes[at++] = 10; }
    const numbers = Float64Array.from(this.rawNumbers);
    this.raw = []; this.rawNumbers = []; this.rawBytes = 0;
    this.maxInFlight = MAX_RAW_IN_FLIGHT;
    this.queueGroup(parseRawBatch({
      columns: [...this.opts.columns], key: ctx.key, generationId: ctx.generationId, syncId: ctx.syncId,
      maxRecordBytes: this.maxRecordBytes, bytes, numbers,
    }).then((r) => { this.typecastErrors += r.typecastErrors; return r.group; }));
  }

  private queueGroup(group: SealedGroup | Promise<SealedGroup>): void {
    this.inFlight++;
    if (group instanceof Promise) group.catch(() => undefined);
    this.forward = this.forward.then(async () => {
      const g = await group;
      if (this.failure) return;
      this.session ??= this.open();
      this.session.send(g);
    }).catch((e) => this.setFailure(e as Error));
  }

  private async emitRowGroup(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.raw.length) this.dispatchRaw();
    else if (this.buffers.rows === 0) return;
    else this.queueGroup(this.buffers.seal());
    this.bufferedBytes = 0;
    // Backpressure: the worker has few groups queued and the body (the upload) keeps up.
    while (!this.failure && (this.inFlight >= this.maxInFlight || this.body.writableNeedDrain)) {
      await new Promise<void>((r) => { this.wake = r; });
    }
    if (this.failure) throw this.failure;
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private setFailure(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    this.session?.abort(e.message);
    if (!this.body.destroyed) this.body.destroy(e);
    this.doneReject(e);
    this.wakeUp();
  }

  async finish(): Promise<void> {
    await this.emitRowGroup();
    await this.forward;
    if (this.failure) throw this.failure;
    if (!this.session) { this.body.end(); return; } // no rows at all: an empty body (the sink never does this)
    this.session.finish();
    await this.done;
    if (this.failure) throw this.failure;
  }

  abort(error: Error): void {
    this.setFailure(error);
  }
}
