// Re-cuts a stream of byte chunks into blocks of one fixed size (the last may be shorter), for stores
// that upload large objects block by block. Pure: no I/O.

/** Yields blocks of exactly `size` bytes, then the remainder (if any). Never yields an empty block. */
export async function* fixedChunks(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  if (!Number.isInteger(size) || size <= 0) throw new RangeError(`block size must be a positive integer, got ${size}`);
  let parts: Uint8Array[] = [];
  let held = 0;
  for await (const chunk of source) {
    let off = 0;
    while (off < chunk.byteLength) {
      const take = Math.min(size - held, chunk.byteLength - off);
      parts.push(chunk.subarray(off, off + take));
      held += take;
      off += take;
      if (held === size) {
        yield Buffer.concat(parts, held);
        parts = [];
        held = 0;
      }
    }
  }
  if (held > 0) yield Buffer.concat(parts, held);
}
