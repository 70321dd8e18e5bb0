// The file-encoder contract: rows in, a byte stream out (the object body), with backpressure.
import { PassThrough, Transform, type Writable } from 'node:stream';
import type { Coerced } from './coerce.js';
import type { Column } from './columns.js';

export type FormatType = 'parquet' | 'csv' | 'jsonl';
export type Compression = 'none' | 'gzip' | 'zstd' | 'snappy';

export interface EncoderOptions {
  columns: readonly Column[];
  compression: Compression;
  /** Parquet: rows per row group. */
  rowGroupRows?: number;
  /** Parquet: flush a row group early once this many (estimated) input bytes are buffered. */
  rowGroupBytes?: number;
}

export interface FileEncoder {
  /** The object body: read by the store while rows are appended. */
  readonly body: PassThrough;
  /** Rows appended so far. */
  readonly rows: number;
  /** Encoded (compressed) bytes emitted into `body` so far. */
  readonly outputBytes: number;
  /** Estimated bytes held in memory (rows not yet encoded). */
  readonly bufferedBytes: number;
  /** Appends one row; the promise (if any) applies backpressure. */
  append(values: readonly Coerced[], approxBytes: number): void | Promise<void>;
  /** Encodes what is buffered and ends `body`. */
  finish(): Promise<void>;
  /** Stops encoding and destroys `body` with the error (the store then aborts the upload). */
  abort(error: Error): void;
}

/** A pass-through that counts the bytes flowing through it. */
export function countingBody(onBytes: (n: number) => void, highWaterMark = 1 << 20): PassThrough {
  const t = new PassThrough({ highWaterMark });
  // A store may fail before it reads the body (a key collision): the error reaches the sink through
  // the put and the encoder, never as an unhandled 'error' event that would crash the process.
  t.on('error', () => undefined);
  const write = t._transform.bind(t);
  t._transform = (chunk: Buffer, enc, cb) => { onBytes(chunk.length); write(chunk, enc, cb); };
  return t;
}

/** Writes a chunk and waits for 'drain' when the stream's buffer is full; fails if it closes. */
export async function writeChunk(s: Writable | Transform, chunk: Uint8Array): Promise<void> {
  if (s.destroyed) throw (s.errored as Error | null) ?? new Error('bucket: output stream closed');
  if (s.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (): void => { cleanup(); resolve(); };
    const fail = (e?: Error): void => { cleanup(); reject(e ?? (s.errored as Error | null) ?? new Error('bucket: output stream closed')); };
    const onClose = (): void => fail();
    const cleanup = (): void => { s.off('drain', done); s.off('error', fail); s.off('close', onClose); };
    s.on('drain', done); s.on('error', fail); s.on('close', onClose);
  });
}

/** Ends a writable and waits until everything written has been flushed out of it. */
export function endStream(s: Writable | Transform): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (s.destroyed) { reject((s.errored as Error | null) ?? new Error('bucket: output stream closed')); return; }
    s.once('error', reject);
    s.end(() => { s.off('error', reject); resolve(); });
  });
}

export function extensionFor(format: FormatType, compression: Compression): string {
  if (format === 'parquet') return 'parquet';
  return compression === 'gzip' ? `${format}.gz` : compression === 'zstd' ? `${format}.zst` : format;
}

export function contentTypeFor(format: FormatType, compression: Compression): string {
  if (format === 'parquet') return 'application/vnd.apache.parquet';
  if (compression === 'gzip') return 'application/gzip';
  if (compression === 'zstd') return 'application/zstd';
  return format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson';
}
