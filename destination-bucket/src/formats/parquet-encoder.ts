// Parquet file encoder: rows go straight into typed column buffers (column-buffers.ts); each full row
// group is handed, without copying, to the encoding worker (Arrow + parquet-wasm), whose output
// streams back into the object body. At most one row group waits for the worker and the body's
// backpressure stops new ones, so memory stays bounded by a few row groups whatever the file size.
import type { Coerced } from './coerce.js';
import { ColumnBuffers } from './column-buffers.js';
import { countingBody, type EncoderOptions, type FileEncoder } from './encoder.js';
import { openSession, type PoolSession } from './parquet-pool.js';

const MAX_GROUPS_IN_FLIGHT = 1;

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

  constructor(private readonly opts: EncoderOptions) {
    this.body = countingBody((b) => { this.outputBytes += b; });
    this.rowGroupRows = Math.max(1, opts.rowGroupRows ?? 10_000);
    this.rowGroupBytes = opts.rowGroupBytes ?? 64 * 1024 * 1024;
    this.buffers = new ColumnBuffers(opts.columns, this.rowGroupRows);
    this.done = new Promise<void>((res, rej) => { this.doneResolve = res; this.doneReject = rej; });
    this.done.catch(() => undefined);
    this.body.on('drain', () => this.wakeUp());
    this.body.on('close', () => {
      if (!this.body.writableFinished) this.setFailure((this.body.errored as Error | null) ?? new Error('bucket: output stream closed'));
    });
  }

  append(values: readonly Coerced[], approxBytes: number): void | Promise<void> {
    if (this.failure) throw this.failure;
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

  private async emitRowGroup(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.buffers.rows === 0) return;
    const group = this.buffers.seal();
    this.bufferedBytes = 0;
    this.session ??= this.open();
    this.inFlight++;
    this.session.send(group);
    // Backpressure: the worker has few groups queued and the body (the upload) keeps up.
    while (!this.failure && (this.inFlight >= MAX_GROUPS_IN_FLIGHT || this.body.writableNeedDrain)) {
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
    if (!this.session) { this.body.end(); return; } // no rows at all: an empty body (the sink never does this)
    this.session.finish();
    await this.done;
    if (this.failure) throw this.failure;
  }

  abort(error: Error): void {
    this.setFailure(error);
  }
}
