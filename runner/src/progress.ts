// Progress reporting: a live per-stream table on a TTY, plain log lines otherwise.
import type { Writable } from 'node:stream';

export interface StreamProgress { records: number; committed: number; files: number; lastStateAt?: number; startedAt: number }

export interface Progress {
  phase(text: string): void;
  record(stream: string): void;
  committed(stream: string, records: number, at: number): void;
  file(stream: string): void;
  message(text: string): void;
  finish(summary: string): void;
}

export class ProgressTracker {
  readonly streams = new Map<string, StreamProgress>();
  constructor(private now: () => number) {}
  get(stream: string): StreamProgress {
    let s = this.streams.get(stream);
    if (!s) { s = { records: 0, committed: 0, files: 0, startedAt: this.now() }; this.streams.set(stream, s); }
    return s;
  }
  rows(): string[] {
    const now = this.now();
    return [...this.streams.entries()].map(([name, s]) => {
      const secs = Math.max(0.001, (now - s.startedAt) / 1000);
      const last = s.lastStateAt ? new Date(s.lastStateAt).toISOString().slice(11, 19) : '-';
      return `${name.padEnd(22)} ${String(s.records).padStart(10)} rec ${String(Math.round(s.records / secs)).padStart(8)}/s ${String(s.committed).padStart(10)} committed ${String(s.files).padStart(5)} files  state ${last}`;
    });
  }
}

export function createProgress(out: Writable & { isTTY?: boolean }, now: () => number, intervalMs?: number): Progress & { tracker: ProgressTracker } {
  const tracker = new ProgressTracker(now);
  const tty = Boolean(out.isTTY);
  let drawn = 0;
  let phase = '';
  const redraw = () => {
    if (!tty) return;
    const lines = [phase, ...tracker.rows()];
    out.write(`\x1b[${drawn}A\x1b[0J`.repeat(drawn ? 1 : 0) + lines.join('\n') + '\n');
    drawn = lines.length;
  };
  const plain = () => { if (!tty) for (const r of tracker.rows()) out.write(`cio-sync: ${r}\n`); };
  const timer = setInterval(tty ? redraw : plain, intervalMs ?? (tty ? 250 : 30_000));
  timer.unref();
  const say = (text: string) => {
    if (tty && drawn) { out.write(`\x1b[${drawn}A\x1b[0J`); drawn = 0; }
    out.write(`cio-sync: ${text}\n`);
    redraw();
  };
  return {
    tracker,
    phase(text) { phase = text; say(text); },
    record(stream) { tracker.get(stream).records++; },
    committed(stream, records, at) { const s = tracker.get(stream); s.committed += records; s.lastStateAt = at; },
    file(stream) { tracker.get(stream).files++; },
    message: say,
    finish(summary) {
      clearInterval(timer);
      if (tty) redraw(); else plain();
      out.write(`cio-sync: ${summary}\n`);
    },
  };
}
