// Runs async work on a list with at most `limit` in flight, yielding results in input order.
// The shared rate limiter decides the real pace; this only keeps enough requests queued to use it.
export async function* mapOrdered<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): AsyncGenerator<R> {
  const inflight: Promise<R>[] = [];
  let next = 0;
  const launch = () => {
    const i = next++;
    const p = fn(items[i]!, i);
    p.catch(() => { /* observed when awaited in order */ });
    inflight.push(p);
  };
  while (next < items.length && inflight.length < Math.max(1, limit)) launch();
  while (inflight.length > 0) {
    const r = await inflight.shift()!;
    if (next < items.length) launch();
    yield r;
  }
}
