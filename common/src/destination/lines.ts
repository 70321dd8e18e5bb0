// Splits a byte stream into lines on byte 10 and decodes each line as UTF-8
// (splitting Buffers, not strings, keeps JSON.parse fast; see techstack.md §2).
import { SystemError } from '../errors.js';
import type { ScannedLine } from './oversize-line.js';

export interface Line {
  text: string;
  number: number;
  bytes: number;
  /** Set when the line was too long to hold: `text` is what was kept, these fields were dropped. */
  nulled?: string[];
}

export interface LineOptions {
  /** Lines longer than this are never held whole: they stream through a scanner (see oversize-line.ts). */
  streamAbove: number;
  scan(): { feed(b: Uint8Array): void; finish(): ScannedLine };
}

/**
 * Yields the lines of each input chunk as one array (one await per chunk rather than per line,
 * which matters at hundreds of thousands of lines per second). A line split across chunks is
 * carried into the next batch (its pieces kept apart until the line ends, so a long line costs one
 * copy, not one per chunk); the last line needs no trailing newline. Without `oversize`, a line longer
 * than `maxLineBytes` is an error; with it, such a line streams through the scanner.
 */
export async function* splitLineBatches(input: AsyncIterable<Uint8Array | string>, maxLineBytes = 256 * 1024 * 1024, oversize?: LineOptions): AsyncGenerator<Line[]> {
  const limit = oversize ? Math.min(maxLineBytes, oversize.streamAbove) : maxLineBytes;
  let carry: Buffer[] = [];
  let carried = 0;
  let scanner: ReturnType<LineOptions['scan']> | undefined;
  let number = 0;
  const start = (): void => {
    scanner = oversize!.scan();
    for (const c of carry) scanner.feed(c);
    carry = [];
  };
  for await (const raw of input) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    let from = 0;
    let nl = chunk.indexOf(10);
    const batch: Line[] = [];
    if (carried > 0) {
      if (nl === -1) {
        carried += chunk.length;
        if (scanner) scanner.feed(chunk);
        else {
          carry.push(chunk);
          if (carried > limit) { if (!oversize) throw tooLong(number + 1, maxLineBytes); start(); }
        }
        continue;
      }
      number++;
      const end = nl > 0 && chunk[nl - 1] === 13 ? nl - 1 : nl;
      const total = carried + end;
      if (scanner) {
        scanner.feed(chunk.subarray(0, end));
        const s = scanner.finish();
        batch.push({ text: s.text, number, bytes: total, nulled: s.nulled });
        scanner = undefined;
      } else if (total > limit && !oversize) {
        throw tooLong(number, maxLineBytes);
      } else {
        // A CR at the very end of the carried part (CRLF split across chunks) is dropped too.
        let whole = Buffer.concat([...carry, chunk.subarray(0, end)]);
        if (end === nl && nl === 0 && whole[whole.length - 1] === 13) whole = whole.subarray(0, whole.length - 1);
        if (whole.length > limit) {
          const sc = oversize!.scan();
          sc.feed(whole);
          const s = sc.finish();
          batch.push({ text: s.text, number, bytes: whole.length, nulled: s.nulled });
        } else {
          batch.push({ text: whole.toString('utf8'), number, bytes: whole.length });
        }
      }
      carry = [];
      carried = 0;
      from = nl + 1;
      nl = chunk.indexOf(10, from);
    }
    while (nl !== -1) {
      number++;
      const end = nl > from && chunk[nl - 1] === 13 ? nl - 1 : nl; // tolerate CRLF
      if (end - from > limit) {
        if (!oversize) { if (batch.length) yield batch; throw tooLong(number, maxLineBytes); }
        const sc = oversize.scan();
        sc.feed(chunk.subarray(from, end));
        const s = sc.finish();
        batch.push({ text: s.text, number, bytes: end - from, nulled: s.nulled });
      } else {
        batch.push({ text: chunk.toString('utf8', from, end), number, bytes: end - from });
      }
      from = nl + 1;
      nl = chunk.indexOf(10, from);
    }
    if (batch.length) yield batch;
    if (from < chunk.length) {
      const rest = chunk.subarray(from);
      carried = rest.length;
      carry = [rest];
      if (carried > limit) { if (!oversize) throw tooLong(number + 1, maxLineBytes); start(); }
    }
  }
  if (carried > 0) {
    number++;
    if (scanner) {
      const s = scanner.finish();
      yield [{ text: s.text, number, bytes: carried, nulled: s.nulled }];
    } else {
      const whole = Buffer.concat(carry);
      yield [{ text: whole.toString('utf8'), number, bytes: whole.length }];
    }
  }
}

export async function* splitLines(input: AsyncIterable<Uint8Array | string>, maxLineBytes = 256 * 1024 * 1024): AsyncGenerator<Line> {
  for await (const batch of splitLineBatches(input, maxLineBytes)) yield* batch;
}

function tooLong(line: number, max: number): SystemError {
  return new SystemError(`input line ${line} is longer than ${max} bytes; the source sent a message too large to process`);
}
