// Raw RECORD lines → one sealed row group (pure; runs in the parse worker). Each line is parsed and
// validated exactly as the write loop does on the main thread (same errors, naming the line number),
// oversize records have their largest fields nulled, and values are coerced into the columns.
import { randomUUID } from 'node:crypto';
import { InputError, limitRecordSize, parseMessageLine, type AirbyteRecordMessage } from '@cio-dw/common';
import { buildRow, type Coerced } from './coerce.js';
import { ColumnBuffers, type SealedGroup } from './column-buffers.js';
import type { Column } from './columns.js';

export interface RawBatch {
  columns: Column[];
  /** The stream key the lines were routed to (a plain stream name: no namespace). */
  key: string;
  generationId: number;
  syncId: number;
  maxRecordBytes: number;
  /** The lines' UTF-8 bytes, each followed by byte 10. */
  bytes: Uint8Array;
  /** Input line number of each line. */
  numbers: Float64Array;
}

export interface RawRows { group: SealedGroup; typecastErrors: number }

export function rowsFromRaw(b: RawBatch): RawRows {
  const n = b.numbers.length;
  // Decoded line by line (not as one string): ASCII lines then become one-byte strings, which
  // JSON.parse reads faster than slices of one two-byte string.
  const buf = Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength);
  const layout = { columns: b.columns, fingerprint: '' };
  const buffers = new ColumnBuffers(b.columns, n);
  const row = new Array<Coerced>(b.columns.length).fill(null);
  let typecastErrors = 0;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const nl = buf.indexOf(10, pos);
    const lineText = buf.toString('utf8', pos, nl);
    const lineBytes = nl - pos;
    pos = nl + 1;
    const number = b.numbers[i]!;
    const msg = parseMessageLine(lineText, number);
    let record = msg.record as AirbyteRecordMessage;
    if (msg.type !== 'RECORD' || record.namespace || record.stream !== b.key) {
      throw new InputError(`input line ${number} repeats a key of its RECORD message (type, stream or namespace); the source emitted an ambiguous message`);
    }
    record = limitRecordSize(record, lineBytes, b.maxRecordBytes);
    typecastErrors += buildRow(layout, record, { rawId: randomUUID(), generationId: b.generationId, syncId: b.syncId }, row);
    buffers.append(row);
  }
  return { group: buffers.seal(), typecastErrors };
}
