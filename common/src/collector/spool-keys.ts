// Spool object keys: `spool/<YYYYMMDD>/<HH>/<13-digit epoch ms>-<writer id>-<8-digit counter>.jsonl.gz`.
// Lexicographic key order is time order (key time in UTC, zero-padded), then writer, then counter.
export const SPOOL_PREFIX = 'spool/';
const NAME = /(?:^|\/)(\d{13})-([a-z0-9]{1,32})-(\d{8})\.jsonl\.gz$/;

export function spoolKey(timeMs: number, writerId: string, counter: number): string {
  if (!/^[a-z0-9]{1,32}$/.test(writerId)) throw new Error(`spool: writer id must be 1-32 lower-case letters or digits, got ${JSON.stringify(writerId)}`);
  const d = new Date(timeMs);
  const day = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`;
  return `${SPOOL_PREFIX}${day}/${pad(d.getUTCHours(), 2)}/${pad(timeMs, 13)}-${writerId}-${pad(counter % 1e8, 8)}.jsonl.gz`;
}

/** Key time (epoch ms) of a spool key, or undefined for keys that are not spool objects. */
export function keyTime(key: string): number | undefined {
  const m = NAME.exec(key);
  return m ? Number(m[1]) : undefined;
}

/** A key that sorts before every spool object with key time ≥ `timeMs`, and after all older ones. */
export function keyBefore(timeMs: number): string {
  const t = Math.max(0, timeMs);
  // The hour folder of t, then a name that sorts before every `<t>-…` name in it.
  return spoolKey(t, '0', 0).replace(/[^/]+$/, `${pad(t, 13)}-`);
}

function pad(n: number, w: number): string {
  return String(Math.trunc(n)).padStart(w, '0');
}
