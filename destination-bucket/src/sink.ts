// The bucket sink: one StreamBuffer per stream; files are closed by rows, size or age (timer) and
// completed in order. After every completed batch a manifest object is written, and only then do
// durable counts advance (so a STATE is echoed only after its data and manifest are durable).
import type {
  AirbyteRecordMessage, Clock, CloseOutcome, ConfiguredAirbyteCatalog, ConfiguredAirbyteStream, Logger, ObjectStore, Sink,
} from '@cio-dw/common';
import { streamId, SystemError, toConnectorError } from '@cio-dw/common';
import { failureOf, StreamBuffer, type DetachedFile } from './batcher.js';
import type { Settings } from './config.js';
import type { Column } from './formats/columns.js';
import { buildManifest, manifestBytes, type ManifestFile, type StreamCompletion } from './manifest.js';
import { checkKey, sampleKey } from './key-check.js';
import { DEFAULT_MEMORY_BUDGET_BYTES, fileOverheadBytes, filesToClose } from './memory-budget.js';
import { manifestKey, SequenceGenerator } from './naming.js';
import { deleteSuperseded, supersession } from './superseded.js';

export interface SinkDeps {
  store: ObjectStore; settings: Settings; clock: Clock; logger: Logger; random?: () => number;
  /** Memory for buffered rows and encoder state across all streams (see memory-budget.ts). */
  memoryBudgetBytes?: number;
}

/** Appends between two looks at the memory budget (the fast path stays a few comparisons). */
const BUDGET_CHECK_EVERY = 1000;

export class BucketSink implements Sink {
  private readonly buffers = new Map<string, StreamBuffer>();
  private readonly listeners: (() => void)[] = [];
  private readonly seq: SequenceGenerator;
  private readonly layouts = new Map<string, readonly Column[]>();
  private chain: Promise<void> = Promise.resolve();
  private readonly due = new Set<string>();
  private writing = false;
  private failure: Error | undefined;
  private closed = false;
  private readonly aborted: Promise<unknown>[] = [];
  private sinceBudgetCheck = 0;
  private readonly budget: number;
  private readonly overhead: number;
  filesWritten = 0;

  constructor(private readonly d: SinkDeps, private readonly catalog: ConfiguredAirbyteCatalog) {
    this.seq = new SequenceGenerator(() => d.clock.now(), d.random);
    this.budget = d.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES;
    this.overhead = fileOverheadBytes(d.settings.format, d.settings.compression);
    for (const s of catalog.streams) {
      // Fail before any data is written when the template cannot name this stream's files.
      checkKey(sampleKey(d.settings, s.stream.name, s.stream.namespace ?? undefined, d.clock.now()), d.store.kind, s.stream.name);
      const b = new StreamBuffer(streamId(s.stream), s, d.settings);
      this.buffers.set(b.key, b);
      this.layouts.set(b.layout.fingerprint, b.layout.columns);
    }
  }

  write(key: string, stream: ConfiguredAirbyteStream, record: AirbyteRecordMessage, line?: string): void | Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    let b = this.buffers.get(key);
    if (!b) {
      b = new StreamBuffer(key, stream, this.d.settings);
      this.buffers.set(key, b);
      this.layouts.set(b.layout.fingerprint, b.layout.columns);
    }
    // Fast path (no await per record): the file is open, nothing is due and the append did not block.
    if (!this.due.size && b.file && ++this.sinceBudgetCheck < BUDGET_CHECK_EVERY) {
      let p: Promise<void> | void;
      try { p = b.append(record, line); } catch (e) { return Promise.reject(e); }
      if (!p && !b.full()) return;
      this.writing = true;
      return this.finishWrite(key, b, p);
    }
    this.writing = true;
    return this.slowWrite(key, b, record, line);
  }

  private async finishWrite(key: string, b: StreamBuffer, p: Promise<void> | void): Promise<void> {
    try {
      if (p) await p;
      if (b.full()) await this.flush([key]);
    } finally {
      this.writing = false;
    }
  }

  private async slowWrite(key: string, b: StreamBuffer, record: AirbyteRecordMessage, line: string | undefined): Promise<void> {
    try {
      if (this.due.size) await this.flushDue();
      this.sinceBudgetCheck = 0;
      await this.keepWithinBudget(b.file ? 0 : this.overhead);
      if (!b.file) b.open(this.d.store, this.seq.next(), this.d.clock.now(), () => this.onAge(key));
      const p = b.append(record, line);
      if (p) await p;
      if (b.full()) await this.flush([key]);
    } finally {
      this.writing = false;
    }
  }

  /** Closes the largest open files when buffered data and encoders (plus `adding`) pass the budget. */
  private keepWithinBudget(adding: number): Promise<void> | undefined {
    const open = [];
    for (const b of this.buffers.values()) if (b.file) open.push({ key: b.key, bytes: this.overhead + b.file.encoder.bufferedBytes });
    const keys = filesToClose(adding ? [...open, { key: '', bytes: adding }] : open, this.budget).filter((k) => k !== '');
    if (!keys.length) return undefined;
    this.d.logger.debug(`bucket: memory budget reached with ${open.length} open files; closing ${keys.length}`);
    return this.flush(keys);
  }

  private onAge(key: string): void {
    if (this.writing) { this.due.add(key); return; }
    this.flush([key]).catch((e) => this.fail(e));
  }

  private flushDue(): Promise<void> {
    const keys = [...this.due];
    this.due.clear();
    return this.flush(keys);
  }

  /** Closes the open files of these streams (all by default) and resolves once they are durable. */
  flush(keys?: string[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const detached: DetachedFile[] = [];
    for (const k of keys ?? [...this.buffers.keys()]) {
      const d = this.buffers.get(k)?.detach();
      if (d) detached.push(d);
    }
    const p = this.chain.then(() => this.complete(detached));
    this.chain = p.catch(() => undefined);
    return p.catch((e) => { throw this.fail(e); });
  }

  private async complete(files: DetachedFile[]): Promise<void> {
    if (this.failure) throw this.failure;
    if (!files.length) return;
    const results = await Promise.allSettled(files.map(async ({ file }) => {
      await file.encoder.finish().catch((e: unknown) => failureOf(file, e));
      return file.put;
    }));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      for (const { file } of files) file.encoder.abort(failed.reason as Error);
      throw failed.reason;
    }
    const listed: ManifestFile[] = files.map(({ buffer, file }, i) =>
      buffer.describe(file, (results[i] as PromiseFulfilledResult<{ bytes: number }>).value.bytes));
    await this.writeManifest(listed);
    for (const { buffer, file, upTo } of files) {
      buffer.durable = Math.max(buffer.durable, upTo);
      buffer.rowsWritten += file.encoder.rows;
    }
    this.filesWritten += files.length;
    this.d.logger.info(`bucket: wrote ${files.length} file(s): ${listed.map((f) => `${f.key} (${f.rows} rows, ${f.bytes} bytes)`).join(', ')}`);
    for (const l of this.listeners) l();
  }

  private async writeManifest(files: ManifestFile[], streams?: StreamCompletion[]): Promise<void> {
    const sequence = this.seq.next();
    const m = buildManifest({ sequence, writtenAtMs: this.d.clock.now(), files, layouts: this.layouts, ...(streams ? { streams } : {}) });
    await this.d.store.putNew(manifestKey(sequence), manifestBytes(m), { contentType: 'application/json' });
  }

  durableCount(key: string): number {
    return this.buffers.get(key)?.durable ?? 0;
  }

  onDurable(listener: () => void): void {
    this.listeners.push(listener);
  }

  async close(outcome: CloseOutcome): Promise<void> {
    if (this.closed) return;
    await this.flush();
    if (this.failure) throw this.failure;
    const streams: StreamCompletion[] = [...this.buffers.values()].map((b) => ({
      stream: b.name, namespace: b.namespace ?? null, destination_sync_mode: b.stream.destination_sync_mode,
      sync_id: b.syncId, generation_id: b.generationId, minimum_generation_id: b.stream.minimum_generation_id ?? 0,
      rows: b.rowsWritten,
      generation_complete: b.stream.destination_sync_mode === 'overwrite' && outcome.completedStreams.has(b.key),
    }));
    await this.writeManifest([], streams);
    if (this.d.settings.deleteSuperseded) await this.deleteSupersededGenerations(streams, outcome);
    this.closed = true;
    const typecast = [...this.buffers.values()].reduce((n, b) => n + b.typecastErrors, 0);
    if (typecast) this.d.logger.warn(`bucket: ${typecast} value(s) did not fit their column type and were nulled (see _airbyte_meta.changes)`);
    await this.d.store.close();
  }

  /** After the final manifest: never fails the sync (its data is complete); a later sync retries. */
  private async deleteSupersededGenerations(streams: StreamCompletion[], outcome: CloseOutcome): Promise<void> {
    const keyOf = (s: StreamCompletion) => streamId({ name: s.stream, namespace: s.namespace });
    const targets = streams.flatMap((s) => supersession(s, outcome.completedStreams.has(keyOf(s))) ?? []);
    try {
      await deleteSuperseded(this.d.store, targets, this.d.logger);
    } catch (e) {
      this.d.logger.warn(`bucket: could not delete the files of superseded generations (${toConnectorError(e).message}); they stay, and the next sync that completes a generation deletes them`);
    }
  }

  async abort(reason: unknown): Promise<void> {
    const err = this.fail(reason);
    const puts: Promise<unknown>[] = [];
    for (const b of this.buffers.values()) {
      const d = b.detach();
      if (d) { d.file.encoder.abort(err); puts.push(d.file.put); }
    }
    await Promise.allSettled([...puts, ...this.aborted, this.chain]);
    this.closed = true;
    await this.d.store.close().catch(() => undefined);
  }

  private fail(e: unknown): Error {
    if (!this.failure) {
      this.failure = e instanceof Error ? toConnectorError(e) : new SystemError(`bucket: ${String(e)}`);
      // Stop open uploads at once: nothing partial is ever published.
      for (const b of this.buffers.values()) {
        const d = b.detach();
        if (d) { d.file.encoder.abort(this.failure); this.aborted.push(d.file.put); }
      }
      for (const l of this.listeners) l();
    }
    return this.failure;
  }
}
