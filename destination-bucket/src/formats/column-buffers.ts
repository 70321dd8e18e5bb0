// One row group of column values, written straight into typed arrays and validity bitmaps as rows
// arrive (no per-value boxing, no intermediate JS arrays of numbers), then sealed into plain
// buffers that can be transferred to the encoding worker without copying.
import type { Coerced } from './coerce.js';
import type { Column, ColumnKind } from './columns.js';

/** Arrow layout of one sealed column: `data` holds values (or UTF-8 bytes with `offsets`). */
export interface SealedColumn {
  nullCount: number;
  validity: Uint8Array | undefined;
  data: Uint8Array | Int32Array | Float64Array;
  offsets: Int32Array | undefined;
}

export interface SealedGroup { rows: number; columns: SealedColumn[] }

const K_STRING = 0, K_INT64 = 1, K_DOUBLE = 2, K_BOOL = 3, K_DATE = 4;
const KIND_CODE: Record<ColumnKind, number> = { string: K_STRING, json: K_STRING, int64: K_INT64, timestamp: K_INT64, double: K_DOUBLE, boolean: K_BOOL, date: K_DATE };
const TWO_32 = 4294967296;
const INITIAL_ROWS = 64;

export class ColumnBuffers {
  rows = 0;
  private cap = 0;
  private readonly kinds: number[];
  private validity!: Uint8Array[];
  private nulls!: number[];
  private strings!: string[][];
  private i32!: (Int32Array | undefined)[];
  private i64!: (BigInt64Array | undefined)[];
  private f64!: (Float64Array | undefined)[];
  private bits!: (Uint8Array | undefined)[];

  constructor(columns: readonly Column[], private readonly capacity: number) {
    this.kinds = columns.map((c) => KIND_CODE[c.kind]);
    this.reset();
  }

  /** Starts small and doubles up to `capacity`: a stream with few rows holds little memory. */
  private reset(): void {
    this.rows = 0;
    this.nulls = this.kinds.map(() => 0);
    this.strings = this.kinds.map(() => []);
    this.cap = 0;
    this.allocate(Math.min(this.capacity, INITIAL_ROWS));
  }

  /** (Re)allocates the typed arrays for `cap` rows, keeping the rows already appended. */
  private allocate(cap: number): void {
    const k = this.kinds;
    const copy = <T extends Uint8Array | Int32Array | Float64Array>(old: T | undefined, fresh: T): T => { if (old) fresh.set(old.subarray(0, Math.min(old.length, fresh.length))); return fresh; };
    const old = this.cap ? { validity: this.validity, i32: this.i32, f64: this.f64, bits: this.bits } : undefined;
    this.validity = k.map((_, c) => copy(old?.validity[c], new Uint8Array((cap + 7) >> 3)));
    this.i32 = k.map((x, c) => (x === K_INT64 ? copy(old?.i32[c], new Int32Array(cap * 2)) : x === K_DATE ? copy(old?.i32[c], new Int32Array(cap)) : undefined));
    this.i64 = this.i32.map((a, c) => (k[c] === K_INT64 ? new BigInt64Array(a!.buffer) : undefined));
    this.f64 = k.map((x, c) => (x === K_DOUBLE ? copy(old?.f64[c], new Float64Array(cap)) : undefined));
    this.bits = k.map((x, c) => (x === K_BOOL ? copy(old?.bits[c], new Uint8Array((cap + 7) >> 3)) : undefined));
    this.cap = cap;
  }

  get full(): boolean { return this.rows >= this.capacity; }

  /** Appends one row of normalised values (see coerce.ts); FAIL and null are both NULL. */
  append(values: readonly Coerced[]): void {
    if (this.rows === this.cap) this.allocate(Math.min(this.capacity, this.cap * 2));
    const i = this.rows++;
    const byte = i >> 3;
    const bit = 1 << (i & 7);
    for (let c = 0; c < this.kinds.length; c++) {
      const v = values[c];
      if (v === null || v === undefined || typeof v === 'symbol') {
        this.nulls[c]!++;
        if (this.kinds[c] === K_STRING) this.strings[c]![i] = '';
        continue;
      }
      this.validity[c]![byte]! |= bit;
      switch (this.kinds[c]) {
        case K_STRING: this.strings[c]![i] = v as string; break;
        case K_INT64:
          if (typeof v === 'bigint') { this.i64[c]![i] = v; } else {
            const n = v as number;
            const hi = Math.floor(n / TWO_32);
            const a = this.i32[c]!;
            a[2 * i] = (n - hi * TWO_32) | 0; // little-endian two's complement halves
            a[2 * i + 1] = hi | 0;
          }
          break;
        case K_DOUBLE: this.f64[c]![i] = v as number; break;
        case K_BOOL: if (v === true) this.bits[c]![byte]! |= bit; break;
        case K_DATE: this.i32[c]![i] = v as number; break;
      }
    }
  }

  /** Hands the buffered rows over (sized to the row count) and starts a new, empty group. */
  seal(): SealedGroup {
    const n = this.rows;
    const vbytes = (n + 7) >> 3;
    const columns = this.kinds.map((k, c): SealedColumn => {
      const nullCount = this.nulls[c]!;
      const validity = nullCount ? this.validity[c]!.slice(0, vbytes) : undefined;
      switch (k) {
        case K_STRING: { const [data, offsets] = utf8(this.strings[c]!, n); return { nullCount, validity, data, offsets }; }
        case K_INT64: return { nullCount, validity, data: this.i32[c]!.slice(0, 2 * n), offsets: undefined };
        case K_DOUBLE: return { nullCount, validity, data: this.f64[c]!.slice(0, n), offsets: undefined };
        case K_BOOL: return { nullCount, validity, data: this.bits[c]!.slice(0, vbytes), offsets: undefined };
        default: return { nullCount, validity, data: this.i32[c]!.slice(0, n), offsets: undefined };
      }
    });
    this.reset();
    return { rows: n, columns };
  }
}

/**
 * UTF-8 bytes and offsets of a column's strings. ASCII columns (the usual case) are joined and
 * encoded in one call, offsets being the string lengths. Otherwise each value is encoded on its own
 * at its offset: joining first would let a value ending in a lone high surrogate pair up with the
 * next value's lone low surrogate, and the bytes would no longer match the offsets.
 */
function utf8(strings: string[], n: number): [Uint8Array, Int32Array] {
  const offsets = new Int32Array(n + 1);
  if (strings.length > n) strings.length = n;
  const joined = strings.join('');
  let pos = 0;
  if (joined.length === Buffer.byteLength(joined, 'utf8')) {
    const encoded = Buffer.from(joined, 'latin1');
    for (let i = 0; i < n; i++) { pos += strings[i]!.length; offsets[i + 1] = pos; }
    return [own(encoded), offsets];
  }
  for (let i = 0; i < n; i++) { pos += Buffer.byteLength(strings[i]!, 'utf8'); offsets[i + 1] = pos; }
  const data = new Uint8Array(pos);
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < n; i++) view.write(strings[i]!, offsets[i]!, 'utf8');
  return [data, offsets];
}

/** Owns its memory (small Buffers live in a shared pool, which must never be transferred). */
function own(b: Buffer): Uint8Array {
  return b.byteOffset === 0 && b.buffer.byteLength === b.length ? new Uint8Array(b.buffer) : new Uint8Array(b);
}

export function transferList(g: SealedGroup): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const c of g.columns) {
    out.push(c.data.buffer as ArrayBuffer);
    if (c.validity) out.push(c.validity.buffer as ArrayBuffer);
    if (c.offsets) out.push(c.offsets.buffer as ArrayBuffer);
  }
  return out;
}
