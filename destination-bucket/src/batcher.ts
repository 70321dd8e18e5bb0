// Per-stream buffer: the stream's column layout, its open file (an encoder streaming into a store
// upload) and the thresholds that close the file (rows, compressed bytes, age).
import type { AirbyteRecordMessage, ConfiguredAirbyteStream, ObjectStore, PutResult } from '@cio-dw/common';
import { exactRecordData } from '@cio-dw/common';
import { randomUUID } from 'node:crypto';
import type { Settings } from './config.js';
import { buildRow, REREAD, type Coerced } from './formats/coerce.js';
import { layoutFor, type Layout } from './formats/columns.js';
import { contentTypeFor, createEncoder, extensionFor, type FileEncoder } from './formats/index.js';
import type { ManifestFile } from './manifest.js';
import { renderKey } from './naming.js';

export interface OpenFile {
  key: string;
  encoder: FileEncoder;
  /** The store upload reading `encoder.body`; settles when the object is durable (or failed). */
  put: Promise<PutResult>;
  openedAt: number;
  timer: NodeJS.Timeout | undefined;
}

export interface DetachedFile { buffer: StreamBuffer; file: OpenFile; upTo: number }

/** How long a failed append or finish waits for the upload to say why it stopped. */
const CAUSE_WAIT_MS = 30_000;

/**
 * Why writing into a file failed. When the upload fails, the store stops reading the body and Node
 * destroys it ("The operation was aborted"): that is what the encoder sees, but the upload's own
 * error is the cause to report. Waits (bounded) for the upload to settle and throws its error, or
 * the encoder's when the upload did not fail.
 */
export async function failureOf(file: OpenFile, encoderError: unknown): Promise<never> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<undefined>((resolve) => { timer = setTimeout(resolve, CAUSE_WAIT_MS, undefined); timer.unref(); });
  const storeError = await Promise.race([file.put.then(() => undefined, (e: unknown) => e ?? undefined), waited]);
  clearTimeout(timer);
  throw storeError ?? encoderError;
}

export class StreamBuffer {
  readonly layout: Layout;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly syncId: number;
  readonly generationId: number;
  received = 0;
  durable = 0;
  rowsWritten = 0;
  typecastErrors = 0;
  file: OpenFile | undefined;
  private part = 0;
  private readonly row: Coerced[];

  constructor(readonly key: string, readonly stream: ConfiguredAirbyteStream, private readonly s: Settings) {
    this.layout = layoutFor(stream.stream.json_schema, s.includeAirbyteColumns);
    this.name = stream.stream.name;
    this.namespace = stream.stream.namespace ?? undefined;
    this.syncId = stream.sync_id ?? 0;
    this.generationId = stream.generation_id ?? 0;
    this.row = new Array<Coerced>(this.layout.columns.length).fill(null);
  }

  /** Opens a new file whose bytes stream into a create-only upload. */
  open(store: ObjectStore, sequence: string, now: number, onAge: () => void): OpenFile {
    const encoder = createEncoder(this.s.format, {
      columns: this.layout.columns, compression: this.s.compression, rowGroupRows: this.s.rowGroupRows,
    });
    const key = renderKey(this.s.template, {
      namespace: this.namespace, stream: this.name, epochMs: now, syncId: this.syncId, generationId: this.generationId,
      sequence, part: this.part++, ext: extensionFor(this.s.format, this.s.compression), workspaceId: this.s.workspaceId,
    });
    const put = store.putNew(key, encoder.body, {
      contentType: contentTypeFor(this.s.format, this.s.compression),
      metadata: { 'ab-generation-id': String(this.generationId), 'ab-sync-id': String(this.syncId), 'schema-fingerprint': this.layout.fingerprint },
    });
    // Observed when the file completes or is aborted. A store that fails before reading the whole body
    // (a local folder that cannot be created, a collision found up front) would otherwise leave the
    // encoder waiting for 'drain' forever: stop it with the store's error.
    put.catch((e: unknown) => encoder.abort(e instanceof Error ? e : new Error(String(e))));
    encoder.body.on('error', () => undefined); // reported through `put`, even when the store never read the body
    const timer = setTimeout(onAge, this.s.flushIntervalMs);
    timer.unref();
    this.file = { key, encoder, put, openedAt: now, timer };
    return this.file;
  }

  /** Appends a record to the open file (`line`: its input line, re-read exactly if JSON.parse rounded a number). */
  append(record: AirbyteRecordMessage, line?: string): void | Promise<void> {
    const f = this.file!;
    const ctx = { rawId: randomUUID(), generationId: this.generationId, syncId: this.syncId };
    let changed = buildRow(this.layout, record, ctx, this.row, line !== undefined);
    if (changed === REREAD) changed = buildRow(this.layout, { ...record, data: exactRecordData(line!, record.data) }, ctx, this.row);
    this.typecastErrors += changed;
    this.received++;
    let approx = 16;
    for (const v of this.row) approx += typeof v === 'string' ? v.length + 8 : 8;
    const p = f.encoder.append(this.row, approx);
    return p && p.catch((e: unknown) => failureOf(f, e));
  }

  /** True when the open file reached its row or size target. */
  full(): boolean {
    const e = this.file?.encoder;
    return !!e && (e.rows >= this.s.flushRows || e.outputBytes >= this.s.targetFileBytes);
  }

  /** Takes the open file out of the buffer; new records go to a new file. */
  detach(): DetachedFile | undefined {
    const file = this.file;
    if (!file) return undefined;
    clearTimeout(file.timer);
    this.file = undefined;
    return { buffer: this, file, upTo: this.received };
  }

  describe(file: OpenFile, bytes: number): ManifestFile {
    return {
      stream: this.name, namespace: this.namespace ?? null, key: file.key, rows: file.encoder.rows, bytes,
      format: this.s.format, compression: this.s.compression, schema_fingerprint: this.layout.fingerprint,
      sync_id: this.syncId, generation_id: this.generationId,
    };
  }
}
