// Read-ahead with bounded memory. A sequential page chain (each `next` comes from the previous
// response) can only go as fast as one request's latency allows; reading the next few time windows
// at the same time keeps the shared rate budget busy while records still come out in window order.

/** Pulls from `source` in the background, holding at most `max` items until they are consumed. */
export class Prefetcher<T> implements AsyncIterable<T> {
  private readonly buf: T[] = [];
  private done = false;
  private failed = false;
  private error: unknown;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducer: (() => void) | undefined;

  constructor(private readonly source: AsyncIterator<T>, private readonly max: number) {
    void this.pump();
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        while (this.buf.length >= this.max) await new Promise<void>((r) => { this.wakeProducer = r; });
        const r = await this.source.next();
        if (r.done) break;
        this.buf.push(r.value);
        this.wake('consumer');
      }
    } catch (e) { this.failed = true; this.error = e; }
    this.done = true;
    this.wake('consumer');
  }

  private wake(who: 'consumer' | 'producer'): void {
    const f = who === 'consumer' ? this.wakeConsumer : this.wakeProducer;
    if (who === 'consumer') this.wakeConsumer = undefined; else this.wakeProducer = undefined;
    f?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.buf.length > 0) {
        const v = this.buf.shift()!;
        this.wake('producer');
        yield v;
        continue;
      }
      if (this.failed) throw this.error;
      if (this.done) return;
      await new Promise<void>((r) => { this.wakeConsumer = r; });
    }
  }
}

/**
 * Yields each window with an iterable of its items, in order; the readers of the next `ahead` windows
 * start early and buffer up to `maxBuffered` items each.
 */
export async function* readAhead<W, T>(windows: readonly W[], open: (w: W) => AsyncIterator<T>, ahead: number, maxBuffered: number): AsyncGenerator<{ window: W; items: AsyncIterable<T> }> {
  const started: Prefetcher<T>[] = [];
  for (let i = 0; i < windows.length; i++) {
    while (started.length < windows.length && started.length <= i + ahead) started.push(new Prefetcher(open(windows[started.length]!), maxBuffered));
    yield { window: windows[i]!, items: started[i]! };
  }
}
