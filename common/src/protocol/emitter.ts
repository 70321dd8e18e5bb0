// Writes protocol messages to stdout as one JSON object per line, buffering small writes and
// respecting backpressure. Non-record messages pass through the redactor (secrets never printed).
import type { Writable } from 'node:stream';
import { toJsonText } from '../destination/json-lossless.js';
import type { AirbyteMessage } from './types.js';

export interface Emitter {
  emit(message: AirbyteMessage): Promise<void>;
  flush(): Promise<void>;
}

const MAX_BUFFER = 64 * 1024;

export class LineEmitter implements Emitter {
  private buffer: string[] = [];
  private bufferedChars = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly out: Writable, private readonly redact: (s: string) => string = (s) => s) {}

  emit(message: AirbyteMessage): Promise<void> {
    const line = toJsonText(message); // bigints (exact integers from a lossless parse) as integer literals
    this.buffer.push(message.type === 'RECORD' ? line : this.redact(line));
    this.bufferedChars += line.length;
    // Records are batched; anything else (state, log, trace) is written out promptly.
    if (message.type !== 'RECORD' || this.bufferedChars >= MAX_BUFFER) return this.flush();
    return Promise.resolve();
  }

  flush(): Promise<void> {
    if (this.buffer.length === 0) return this.chain;
    const text = this.buffer.join('\n') + '\n';
    this.buffer = [];
    this.bufferedChars = 0;
    this.chain = this.chain.then(() => write(this.out, text));
    return this.chain;
  }
}

// Resolves when the chunk has been handed to the OS (the write callback), not merely buffered:
// a connector exits right after its last flush, and a pipe to a busy reader may still hold data
// in Node's buffers; `process.exit` would drop it (the final STATE and stream status with it).
function write(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(text, (err) => { if (err) reject(err); else resolve(); });
  });
}

/** Collects messages in memory (tests, in-process runs). */
export class MemoryEmitter implements Emitter {
  readonly messages: AirbyteMessage[] = [];
  async emit(message: AirbyteMessage): Promise<void> { this.messages.push(structuredClone(message)); }
  async flush(): Promise<void> {}
}
