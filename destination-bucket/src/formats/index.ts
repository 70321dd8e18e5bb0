// Format factory: one encoder per output file.
import type { EncoderOptions, FileEncoder, FormatType } from './encoder.js';
import { ParquetEncoder } from './parquet-encoder.js';
import { TextEncoder } from './text-encoder.js';

export function createEncoder(format: FormatType, opts: EncoderOptions): FileEncoder {
  return format === 'parquet' ? new ParquetEncoder(opts) : new TextEncoder(format, opts);
}
export * from './encoder.js';
export * from './columns.js';
export * from './coerce.js';
export * from './text-rows.js';
