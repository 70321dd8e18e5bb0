// Group commit: calls from concurrent requests are gathered for a short window (or until a size
// limit) and written together as ONE new spool object; every request waits for that write.
// A key's time is read from the clock just before its write starts, and a write that finishes
// later than `maxWriteMs` after it is not acknowledged: that is what makes the reader's settle
// window safe (see docs/README.md, "Spool guarantees").
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { ObjectExistsError } from '../store/index.js';
import { encodeSpoolObject } from './spool-format.js';
import { spoolKey } from './spool-keys.js';
import type { SpoolStore } from './spool-store.js';

export interface GroupCommitOptions {
  /** How long the first call of a group waits for others (ms). */
  windowMs: number;
  /** A group is written at once when it holds this many calls… */
  maxCalls: number;
  /** …or this many bytes of JSON. */
  maxBytes: number;
  /** Spool writes in flight at once. */
  maxConcurrentWrites: number;
  /** Calls waiting for the spool beyond this many bytes are refused (503, retry later). */
  maxPendingBytes: number;
}

export interface SpoolWriterOptions extends GroupCommitOptions {
  store: SpoolStore;
  clock: Clock;
  logger: Logger;
  writerId: string;
  /** A write finishing later than this after its key time is not acknowledged. */
  maxWriteMs: number;
}

/** The calls were not stored (or not in time): answer 503 so the client retries. */
export class SpoolUnavailableError extends Error {
  constructor(message: string, readonly retryAfterS = 1) { super(message); }
}

interface Waiter { resolve: () => void; reject: (e: Error) => void }
interface Group { lines: string[]; bytes: number; waiters: Waiter[] }

export class SpoolWriter {
  private pending: Group = emptyGroup();
  private inFlight = 0;
  private inFlightBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private counter = 0;
  private closed = false;
  private idle: (() => void)[] = [];
  /** Totals since start, for logs and tests. */
  readonly stats = { objects: 0, calls: 0, bytes: 0, failed: 0, late: 0 };

  constructor(private readonly o: SpoolWriterOptions) {}

  /** Resolves once every line is in a spool object that has been durably created. */
  append(lines: readonly string[]): Promise<void> {
    if (this.closed) return Promise.reject(new SpoolUnavailableError('collector: shutting down; retry against another replica or later'));
    let bytes = 0;
    for (const l of lines) bytes += l.length + 1;
    if (this.pending.bytes + this.inFlightBytes + bytes > this.o.maxPendingBytes && this.pending.lines.length + this.inFlight > 0) {
      return Promise.reject(new SpoolUnavailableError(`collector: overloaded (more than ${this.o.maxPendingBytes} bytes waiting for the spool); retry shortly`));
    }
    return new Promise<void>((resolve, reject) => {
      const g = this.pending;
      for (const l of lines) g.lines.push(l);
      g.bytes += bytes;
      g.waiters.push({ resolve, reject });
      if (g.lines.length >= this.o.maxCalls || g.bytes >= this.o.maxBytes) this.flush();
      else this.timer ??= setTimeout(() => { this.timer = undefined; this.flush(); }, this.o.windowMs);
    });
  }

  /** Writes what is pending now (if a write slot is free; otherwise when one frees up). */
  private flush(): void {
    if (this.pending.waiters.length === 0 || this.inFlight >= this.o.maxConcurrentWrites) return;
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    const g = this.pending;
    this.pending = emptyGroup();
    this.inFlight++;
    this.inFlightBytes += g.bytes;
    void this.write(g).finally(() => {
      this.inFlight--;
      this.inFlightBytes -= g.bytes;
      // Calls that queued up during the write have waited long enough: write them now.
      if (this.pending.waiters.length) this.flush();
      if (this.inFlight === 0 && this.pending.waiters.length === 0) for (const f of this.idle.splice(0)) f();
    });
  }

  private async write(g: Group): Promise<void> {
    const body = encodeSpoolObject(g.lines);
    try {
      for (let attempt = 0; ; attempt++) {
        const t = this.o.clock.now();
        const key = spoolKey(t, this.o.writerId, this.counter++);
        try {
          await this.o.store.putNew(key, body, { contentType: 'application/gzip' });
        } catch (e) {
          if (e instanceof ObjectExistsError && attempt < 3) continue; // another writer with our id? take the next name
          throw e;
        }
        const took = this.o.clock.now() - t;
        if (took > this.o.maxWriteMs) {
          this.stats.late++;
          throw new SpoolUnavailableError(`collector: the spool write took ${took} ms (limit ${this.o.maxWriteMs} ms); not acknowledged, retry`);
        }
        this.stats.objects++; this.stats.calls += g.lines.length; this.stats.bytes += body.byteLength;
        for (const w of g.waiters) w.resolve();
        return;
      }
    } catch (e) {
      this.stats.failed++;
      const err = e instanceof SpoolUnavailableError ? e
        : new SpoolUnavailableError(`collector: could not write to the spool: ${(e as Error).message}`);
      this.o.logger.error(err.message);
      for (const w of g.waiters) w.reject(err);
    }
  }

  /** Refuses new calls, writes everything pending and waits for writes in flight. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.pending.waiters.length) this.flush();
    if (this.inFlight === 0 && this.pending.waiters.length === 0) return;
    await new Promise<void>((r) => this.idle.push(r));
  }
}

function emptyGroup(): Group { return { lines: [], bytes: 0, waiters: [] }; }
