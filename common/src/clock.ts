// Injected time source, so tests can control "now" and sleeping.
export interface Clock {
  now(): number; // epoch milliseconds
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => new Promise<void>((resolve, reject) => {
    if (signal?.aborted) { reject(signal.reason); return; }
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(t); reject(signal?.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
  }),
};
/** A clock that only moves when told to; `sleep` advances it instantly. */
export class ManualClock implements Clock {
  constructor(private t = 0) {}
  now(): number { return this.t; }
  advance(ms: number): void { this.t += ms; }
  set(ms: number): void { this.t = ms; }
  async sleep(ms: number): Promise<void> { this.t += ms; }
}
