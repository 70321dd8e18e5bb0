// CSV / JSONL file encoder: rows → text chunks → optional gzip (node:zlib) or zstd (zstd-napi) → body.
import { createGzip } from 'node:zlib';
import type { Transform } from 'node:stream';
import { CompressStream } from 'zstd-napi';
import type { Coerced } from './coerce.js';
import { countingBody, endStream, writeChunk, type EncoderOptions, type FileEncoder } from './encoder.js';
import { csvHeader, csvRow, jsonlKeys, jsonlRow } from './text-rows.js';

const CHUNK_CHARS = 256 * 1024;

export class TextEncoder implements FileEncoder {
  readonly body;
  rows = 0;
  outputBytes = 0;
  private pending = '';
  private readonly head: Transform;
  private readonly keys: string[];

  constructor(private readonly format: 'csv' | 'jsonl', private readonly opts: EncoderOptions) {
    this.body = countingBody((n) => { this.outputBytes += n; });
    if (opts.compression === 'gzip') {
      this.head = createGzip({ level: 6 });
      this.head.pipe(this.body);
    } else if (opts.compression === 'zstd') {
      this.head = new CompressStream({ compressionLevel: 3 });
      this.head.pipe(this.body);
    } else {
      this.head = this.body;
    }
    this.head.on('error', (e) => this.body.destroy(e));
    this.keys = jsonlKeys(opts.columns);
    if (format === 'csv') this.pending = csvHeader(opts.columns);
  }

  get bufferedBytes(): number { return this.pending.length; }

  append(values: readonly Coerced[]): void | Promise<void> {
    this.rows++;
    this.pending += this.format === 'csv' ? csvRow(this.opts.columns, values) : jsonlRow(this.opts.columns, this.keys, values);
    if (this.pending.length >= CHUNK_CHARS) return this.drain();
  }

  private drain(): Promise<void> {
    const chunk = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    return writeChunk(this.head, chunk);
  }

  async finish(): Promise<void> {
    if (this.pending.length) await this.drain();
    await endStream(this.head);
  }

  abort(error: Error): void {
    this.pending = '';
    if (this.head !== this.body) this.head.destroy(error);
    this.body.destroy(error);
  }
}
