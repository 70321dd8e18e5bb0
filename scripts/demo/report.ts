// Plain-text tables for the demo's report (pure).
import type { StreamFiles } from '../warehouse/manifests.js';

export function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Left-aligned text, right-aligned numbers. */
export function table(header: string[], body: Array<Array<string | number | null | undefined>>): string {
  const cells = [header, ...body.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))))];
  const numeric = header.map((_, i) => body.every((r) => typeof r[i] === 'number' || r[i] === null || r[i] === undefined));
  const width = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => '   ' + r.map((c, i) => (numeric[i] ? c.padStart(width[i]!) : c.padEnd(width[i]!))).join('  ').trimEnd();
  return [line(cells[0]!), '   ' + width.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function filesTable(feed: string, streams: StreamFiles[]): string {
  const total = streams.reduce((a, s) => ({ files: a.files + s.files, rows: a.rows + s.rows, bytes: a.bytes + s.bytes }), { files: 0, rows: 0, bytes: 0 });
  return table([`${feed} stream`, 'files', 'rows', 'size'],
    [...streams.map((s) => [s.stream, s.files, s.rows, size(s.bytes)]), ['(total)', total.files, total.rows, size(total.bytes)]]);
}
