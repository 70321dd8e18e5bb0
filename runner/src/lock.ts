// One sync per connection at a time: a lease in a lock file that dies with its holder.
// The file holds the holder's pid, host, a random token and the pid's start time; the holder touches
// its mtime every few seconds (heartbeat). A lock is stale, and taken over, when its heartbeat is older
// than the lease (ttl), or, on the same host, when its pid no longer runs, runs a different process
// (another start time: a reused pid) or is our own pid (a previous run of ours, e.g. PID 1 in a
// container restarted after kill -9). Takeovers go through a short-lived `.takeover` file so that two
// contenders cannot both break the same stale lock.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open, readFile, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';

export class LockedError extends Error {}

/** Tokens of the locks this process holds: its own pid in a lock is stale only when the token is not one of these. */
const heldHere = new Set<string>();

export interface LockOptions {
  /** A lock whose heartbeat is older than this is stale (default 30 s). */
  ttlMs?: number;
  /** How often the holder touches the lock (default ttl / 6). */
  heartbeatMs?: number;
  /** Called when the holder finds its lock gone or taken (e.g. its heartbeat stalled past the ttl). */
  onLost?: (why: string) => void;
}

export interface LockContent { pid: number; host?: string; token?: string; started?: string }

/** Start time of a process (Linux /proc, clock ticks since boot), to tell a reused pid apart. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Pure-ish: why a lock is stale, or undefined when its holder may still run. Legacy files hold only a pid. */
export function staleReason(text: string, ageMs: number, ttlMs: number, me = { pid: process.pid, host: hostname() }): string | undefined {
  let c: LockContent;
  try {
    c = /^\s*\d+\s*$/.test(text) ? { pid: Number(text) } : JSON.parse(text) as LockContent;
  } catch {
    c = { pid: 0 };
  }
  if (ageMs > ttlMs) return `its heartbeat stopped ${(ageMs / 1000).toFixed(0)}s ago`;
  if (!Number.isInteger(c.pid) || c.pid <= 0) return 'it names no process';
  if (c.host !== undefined && c.host !== me.host) return undefined;
  if (c.pid === me.pid && !(c.token !== undefined && heldHere.has(c.token))) return `it names this process's own pid ${c.pid} (a previous run with the same pid)`;
  if (!isAlive(c.pid)) return `its holder (pid ${c.pid}) no longer runs`;
  const started = processStart(c.pid);
  if (c.started !== undefined && started !== undefined && started !== c.started) return `pid ${c.pid} is now another process`;
  return undefined;
}

async function readLock(path: string): Promise<{ text: string; ageMs: number } | undefined> {
  try {
    const [text, st] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { text, ageMs: Date.now() - st.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function createExclusive(path: string, text: string): Promise<boolean> {
  try {
    const fh = await open(path, 'wx', 0o644);
    try { await fh.writeFile(text); await fh.sync(); } finally { await fh.close(); }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** Breaks a stale lock unless someone else is already doing so or it changed since we judged it. */
async function breakStale(path: string, judged: string, ttlMs: number): Promise<void> {
  const breaker = `${path}.takeover`;
  if (!(await createExclusive(breaker, String(process.pid)))) {
    const b = await readLock(breaker);
    if (b && b.ageMs > Math.min(ttlMs, 10_000)) await unlink(breaker).catch(() => {}); // a breaker that died
    return;
  }
  try {
    const now = await readLock(path);
    if (now && now.text === judged) await unlink(path).catch(() => {});
  } finally {
    await unlink(breaker).catch(() => {});
  }
}

export async function acquireLock(path: string, opts: LockOptions = {}): Promise<() => Promise<void>> {
  const ttlMs = opts.ttlMs ?? 30_000;
  const token = randomBytes(12).toString('hex');
  const started = processStart(process.pid);
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), token, ...(started ? { started } : {}) });
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await createExclusive(path, mine)) return hold(path, mine, ttlMs, opts);
    const current = await readLock(path);
    if (!current) continue;
    const why = staleReason(current.text, current.ageMs, ttlMs);
    if (!why) {
      const pid = /"pid":(\d+)/.exec(current.text)?.[1] ?? current.text.trim();
      throw new LockedError(`another sync of this connection is running (pid ${pid}, lock ${path}; a lock whose holder stops is taken over after at most ${ttlMs / 1000}s)`);
    }
    await breakStale(path, current.text, ttlMs);
  }
  throw new LockedError(`could not take the lock ${path} (others keep taking it)`);
}

function hold(path: string, mine: string, ttlMs: number, opts: LockOptions): () => Promise<void> {
  const token = (JSON.parse(mine) as LockContent).token!;
  heldHere.add(token);
  let lost = false;
  const beat = async () => {
    const now = await readLock(path).catch(() => undefined);
    if (now?.text !== mine) {
      if (!lost) { lost = true; opts.onLost?.(`the lock ${path} was ${now ? 'taken over by another sync' : 'removed'}`); }
      return;
    }
    const t = new Date();
    await utimes(path, t, t).catch(() => {});
  };
  const timer = setInterval(() => { void beat(); }, opts.heartbeatMs ?? Math.max(50, Math.floor(ttlMs / 6)));
  timer.unref();
  return async () => {
    clearInterval(timer);
    heldHere.delete(token);
    const now = await readLock(path).catch(() => undefined);
    if (now?.text === mine) await unlink(path).catch(() => {});
  };
}
