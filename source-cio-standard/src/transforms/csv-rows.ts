// Streaming RFC 4180 CSV: text arrives in chunks of any size (a quoted field may hold commas, doubled
// quotes and line breaks, and may be split across chunks); complete rows come out as string arrays.
// Pure: no I/O, so it is tested with literal inputs.
const SPECIAL = /[",\r\n]/g;

export class CsvRows {
  private field = '';
  private row: string[] = [];
  private quoted = false;
  /** Just closed a quoted section: a following `"` is an escaped quote. */
  private afterQuote = false;
  private pendingCr = false;

  /** The rows completed by this chunk. */
  push(chunk: string): string[][] {
    const out: string[][] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.pendingCr) { this.pendingCr = false; if (chunk[i] === '\n') { i++; continue; } }
      if (this.quoted) {
        const q = chunk.indexOf('"', i);
        if (q < 0) { this.field += chunk.slice(i); return out; }
        this.field += chunk.slice(i, q);
        this.quoted = false; this.afterQuote = true;
        i = q + 1;
        continue;
      }
      const ch = chunk[i]!;
      if (ch === '"') {
        if (this.afterQuote) this.field += '"';
        this.quoted = true; this.afterQuote = false;
        i++;
        continue;
      }
      this.afterQuote = false;
      if (ch === ',') { this.row.push(this.field); this.field = ''; i++; continue; }
      if (ch === '\n' || ch === '\r') { this.endRow(out); if (ch === '\r') this.pendingCr = true; i++; continue; }
      // Plain text up to the next special character, in one slice.
      SPECIAL.lastIndex = i;
      const m = SPECIAL.exec(chunk);
      const end = m ? m.index : chunk.length;
      this.field += chunk.slice(i, end);
      i = end;
    }
    return out;
  }

  /** The last row when the text does not end with a line break; throws on an unterminated quote. */
  end(): string[][] {
    if (this.quoted) throw new Error('CSV ends inside a quoted field');
    const out: string[][] = [];
    if (this.field !== '' || this.row.length > 0) this.endRow(out);
    return out;
  }

  private endRow(out: string[][]): void {
    this.row.push(this.field);
    this.field = '';
    if (!(this.row.length === 1 && this.row[0] === '')) out.push(this.row); // blank line
    this.row = [];
  }
}
