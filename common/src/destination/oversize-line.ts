// Streams past a line too large to hold (pure, chunk by chunk): keeps the parts of an Airbyte RECORD
// needed to write its row (`type`, `record.stream`, `namespace`, `emitted_at`, `meta` and each
// top-level `data` field up to a size) and drops the rest, so memory stays bounded whatever the line's
// size. The result is a small JSON line plus the names of the fields that were dropped, which the
// write loop records as NULLED (DESTINATION_RECORD_SIZE_LIMITATION), as for oversize lines it holds.

const Q = 0x22, BS = 0x5c, LB = 0x7b, RB = 0x7d, LS = 0x5b, RS = 0x5d, COMMA = 0x2c, COLON = 0x3a;
const META_LIMIT = 1024 * 1024;

type Slot = 'type' | 'stream' | 'namespace' | 'emitted_at' | 'meta' | 'field';

export interface ScannedLine {
  /** A compact JSON message holding what was kept. */
  text: string;
  /** Top-level data fields too large to keep (null in `text`). */
  nulled: string[];
}

export class OversizeLineScanner {
  private depth = 0;
  private inString = false;
  private escape = false;
  /** Per open container (index = depth − 1): is it an object, and is its next string a key? */
  private readonly isObject: boolean[] = [];
  private readonly expectKey: boolean[] = [];
  /** Per depth: the key whose value is being read. */
  private readonly keyAt: (string | undefined)[] = [];
  private keyParts: Buffer[] | undefined;
  private slot: Slot | undefined;
  private slotDepth = 0;
  private parts: Buffer[] = [];
  private bytes = 0;
  private dropped = false;
  private readonly kept = new Map<Slot, string>();
  private readonly fields: string[] = [];
  private keptBytes = 0;
  private readonly nulled: string[] = [];

  /** A data field larger than `keepFieldBytes` is dropped, and so is any field past `keepTotalBytes` in all. */
  constructor(private readonly keepFieldBytes: number, private readonly keepTotalBytes: number) {}

  feed(b: Uint8Array): void {
    let run = this.slot && !this.dropped ? 0 : -1; // start of the captured run in this chunk
    let keyRun = this.keyParts ? 0 : -1;
    for (let i = 0; i < b.length; i++) {
      const c = b[i]!;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === BS) this.escape = true;
        else if (c === Q) {
          this.inString = false;
          if (this.keyParts) { this.keyParts.push(Buffer.from(b.subarray(keyRun, i))); keyRun = -1; this.endKey(); }
        }
        continue;
      }
      if (c === COMMA || c === RB || c === RS) {
        if (this.slot && this.depth === this.slotDepth) { run = this.endValue(b, run, i); }
        if (c === COMMA) { if (this.isObject[this.depth - 1]) this.expectKey[this.depth - 1] = true; continue; }
        this.depth--;
        continue;
      }
      if (c === COLON || c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) continue;
      if (c === Q && this.isObject[this.depth - 1] && this.expectKey[this.depth - 1]) {
        this.inString = true;
        this.keyParts = [];
        keyRun = i + 1;
        continue;
      }
      // A value starts here (string, number, literal or container).
      if (!this.slot && this.startValue()) run = i;
      if (c === Q) this.inString = true;
      else if (c === LB || c === LS) {
        this.depth++;
        this.isObject[this.depth - 1] = c === LB;
        this.expectKey[this.depth - 1] = c === LB;
        this.keyAt[this.depth] = undefined;
      }
    }
    if (this.keyParts && keyRun >= 0) this.keyParts.push(Buffer.from(b.subarray(keyRun)));
    if (this.slot && !this.dropped && run >= 0) this.take(b.subarray(run));
  }

  private endKey(): void {
    const raw = Buffer.concat(this.keyParts!).toString('utf8');
    let key = raw;
    try { key = JSON.parse(`"${raw}"`) as string; } catch { /* keep the raw text */ }
    this.keyAt[this.depth] = key;
    this.keyParts = undefined;
    this.expectKey[this.depth - 1] = false;
  }

  /** Is the value starting at the current depth one we keep? */
  private startValue(): boolean {
    const d = this.depth;
    const k = this.keyAt[d];
    let slot: Slot | undefined;
    if (d === 1 && k === 'type') slot = 'type';
    else if (d === 2 && this.keyAt[1] === 'record' && (k === 'stream' || k === 'namespace' || k === 'emitted_at' || k === 'meta')) slot = k;
    else if (d === 3 && this.keyAt[1] === 'record' && this.keyAt[2] === 'data' && k !== undefined) slot = 'field';
    if (!slot) return false;
    this.slot = slot;
    this.slotDepth = d;
    this.parts = [];
    this.bytes = 0;
    this.dropped = false;
    return true;
  }

  private take(bytes: Uint8Array): void {
    this.bytes += bytes.length;
    const limit = this.slot === 'field' ? this.keepFieldBytes : META_LIMIT;
    if (this.bytes > limit) { this.dropped = true; this.parts = []; return; }
    this.parts.push(Buffer.from(bytes)); // a copy: the chunk is not ours to keep
  }

  private endValue(b: Uint8Array, run: number, end: number): number {
    if (!this.dropped && run >= 0) this.take(b.subarray(run, end));
    const text = this.dropped ? undefined : Buffer.concat(this.parts).toString('utf8').trim();
    if (this.slot === 'field') {
      const name = this.keyAt[3]!;
      if (text === undefined || this.keptBytes + text.length > this.keepTotalBytes) {
        this.fields.push(`${JSON.stringify(name)}:null`);
        this.nulled.push(name);
      } else {
        this.fields.push(`${JSON.stringify(name)}:${text}`);
        this.keptBytes += text.length;
      }
    } else if (text !== undefined) {
      this.kept.set(this.slot!, text);
    }
    this.slot = undefined;
    this.parts = [];
    return -1;
  }

  finish(): ScannedLine {
    const parts: string[] = [];
    for (const k of ['stream', 'namespace', 'emitted_at', 'meta'] as const) {
      const v = this.kept.get(k);
      if (v !== undefined) parts.push(`${JSON.stringify(k)}:${v}`);
    }
    parts.push(`"data":{${this.fields.join(',')}}`);
    return { text: `{"type":${this.kept.get('type') ?? 'null'},"record":{${parts.join(',')}}}`, nulled: this.nulled };
  }
}
