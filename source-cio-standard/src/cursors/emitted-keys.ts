// A bounded memory, kept in a stream's state, of the rows it already emitted whose cursor time lies in
// the overlap that the next sync re-reads. A re-read row with a remembered key is the same row (stable
// primary key) and is not emitted again. Keys are hashed to 8 base64url characters (48 bits) and grouped
// by the row's own cursor second, so a lookup compares only rows of that second: a false match needs
// two rows of one second whose hashes collide (about 1 in 10^12 at 100 rows a second).
//
// State form: [[second, "<8 chars><8 chars>…"], …], oldest second first. Memory is capped (default
// 100 000 keys, ≈ 1 MB of state): past the cap the oldest seconds are forgotten, so a re-read of those
// rows can repeat them (at-least-once, same primary key), never lose them.
import { createHash } from 'node:crypto';
import { ConfigError } from '@cio-dw/common';

export type EmittedKeysJson = Array<[number, string]>;
export const DEFAULT_MAX_KEYS = 100_000;
const W = 8;

export function keyHash(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, W);
}

export class EmittedKeys {
  private readonly bySecond = new Map<number, Set<string>>();
  private count = 0;
  /** Keys forgotten because of the cap (their rows may repeat if re-read). */
  forgotten = 0;

  constructor(private readonly maxKeys = DEFAULT_MAX_KEYS) {}

  /** From a state's JSON (undefined: empty). Anything else than the form above is a ConfigError. */
  static fromJson(json: unknown, stream: string, maxKeys = DEFAULT_MAX_KEYS): EmittedKeys {
    const m = new EmittedKeys(maxKeys);
    if (json === undefined) return m;
    const bad = () => new ConfigError(`${stream}: the saved state's "emitted" memory is not in a form this version can read; reset this stream's state (the next sync then starts again from start_date).`);
    if (!Array.isArray(json)) throw bad();
    for (const e of json) {
      if (!Array.isArray(e) || e.length !== 2 || !Number.isInteger(e[0]) || typeof e[1] !== 'string' || e[1].length % W !== 0) throw bad();
      for (let i = 0; i < e[1].length; i += W) m.addHash(e[0] as number, e[1].slice(i, i + W));
    }
    return m;
  }

  get size(): number { return this.count; }

  has(key: string, atS: number): boolean {
    return this.bySecond.get(atS)?.has(keyHash(key)) ?? false;
  }

  add(key: string, atS: number): void { this.addHash(atS, keyHash(key)); }

  private addHash(atS: number, h: string): void {
    let s = this.bySecond.get(atS);
    if (!s) { s = new Set(); this.bySecond.set(atS, s); }
    if (!s.has(h)) { s.add(h); this.count++; }
  }

  /** Forgets every second ≤ floorS (those rows are not re-read any more). */
  prune(floorS: number): this {
    for (const [t, s] of this.bySecond) if (t <= floorS) { this.count -= s.size; this.bySecond.delete(t); }
    return this;
  }

  /** The state form, pruned to seconds > floorS and capped (oldest seconds dropped first). */
  toJson(floorS: number): EmittedKeysJson {
    this.prune(floorS);
    const seconds = [...this.bySecond.keys()].sort((a, b) => a - b);
    while (this.count > this.maxKeys && seconds.length > 0) {
      const t = seconds.shift()!;
      const n = this.bySecond.get(t)!.size;
      this.count -= n; this.forgotten += n;
      this.bySecond.delete(t);
    }
    return seconds.map((t) => [t, [...this.bySecond.get(t)!].sort().join('')]);
  }
}
