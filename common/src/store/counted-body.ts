// The caller's body as chunks for an upload: counts the bytes read, and tells a failure of the body
// itself (rethrown as is) from the upload stopping its reader. An error that arrives at the yield
// comes from the consumer: lib-storage, for one, returns its reader after a failed part and Node
// destroys the stream under it with "The operation was aborted"; the upload's own error is the
// cause then, and must not be hidden behind that.
import { bodyChunks, type ObjectBody } from './object-store.js';

export class CountedBody {
  bytes = 0;
  /** True when reading the caller's body failed; `error` is then what it threw. */
  failed = false;
  error: unknown;

  constructor(private readonly body: ObjectBody, private readonly signal?: AbortSignal) {}

  async *chunks(): AsyncGenerator<Buffer> {
    let atYield = false;
    try {
      for await (const c of bodyChunks(this.body, this.signal)) {
        this.bytes += c.byteLength;
        atYield = true;
        yield Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
        atYield = false;
      }
    } catch (e) {
      if (!atYield) { this.failed = true; this.error = e; }
      throw e;
    }
  }
}
