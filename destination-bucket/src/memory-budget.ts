// One memory budget across all streams (pure): every open file costs its buffered rows plus a fixed
// overhead for its encoder (compressor state, Parquet writer); when the total passes the budget the
// largest files are closed until it is back to half, so memory stays bounded by the budget whatever
// the number of streams, and big buffers go first (few, large files rather than many small ones).
import type { Compression, FormatType } from './formats/encoder.js';

/** Default budget for buffered data and encoder state (the process needs ~100 MB besides). */
export const DEFAULT_MEMORY_BUDGET_BYTES = 160 * 1024 * 1024;

/** Estimated fixed memory of one open file by format and compression (measured, rounded up). */
export function fileOverheadBytes(format: FormatType, compression: Compression): number {
  if (format === 'parquet') return 2 * 1024 * 1024;
  if (compression === 'zstd') return 1536 * 1024;
  if (compression === 'gzip') return 384 * 1024;
  return 128 * 1024;
}

export interface OpenCost { key: string; bytes: number }

/** Keys of the open files to close (largest first) so the total gets back under half the budget; none when within budget. */
export function filesToClose(open: readonly OpenCost[], budget: number): string[] {
  let total = 0;
  for (const o of open) total += o.bytes;
  if (total <= budget) return [];
  const out: string[] = [];
  for (const o of [...open].sort((a, b) => b.bytes - a.bytes)) {
    if (total <= budget / 2) break;
    out.push(o.key);
    total -= o.bytes;
  }
  return out;
}
