// Deterministic, stateless randomness: every generated value is derived from (seed, stream, index…),
// so record i can be produced on demand without generating records 0…i-1.

/** A 32-bit integer finaliser (from the "lowbias32" hash family). */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16; h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15; h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash any number of integers (each may be up to 2^53) into a uint32. */
export function hash(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    const lo = p >>> 0;
    const hi = Math.floor(p / 4294967296) >>> 0;
    h = mix32(h ^ lo);
    h = mix32(h ^ (hi + 0x632be5ab));
  }
  return h;
}

/** A float in [0, 1) derived from the parts. */
export function unit(...parts: number[]): number {
  return hash(...parts) / 4294967296;
}

/** A small sequential generator (mulberry32) for building one record's many fields. */
export class Rand {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number { return Math.floor(this.next() * n); }
  range(lo: number, hi: number): number { return lo + this.int(hi - lo + 1); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(items: readonly T[]): T {
    const v = items[this.int(items.length)];
    if (v === undefined) throw new Error('cio-simulator: pick from an empty list');
    return v;
  }
}

/** Stream ids keep hashes for different record kinds independent. */
export const STREAM = {
  workspace: 1, person: 2, segment: 3, campaign: 4, broadcast: 5, newsletter: 6,
  delivery: 7, metrics: 8, activity: 9, membership: 10, key: 11, reference: 12,
  report: 13, journey: 14, webhookFault: 15, visibility: 16, busy: 17,
} as const;

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Delivery-id-like string: base64url of 20 bytes with `=` padding (28 chars); bytes 4..9 hold the index. */
export function deliveryId(seed: number, index: number): string {
  const b = Buffer.alloc(20);
  b.writeUInt32BE(hash(seed, STREAM.delivery, 0xffff), 0);
  b.writeUIntBE(index, 4, 6);
  for (let k = 0; k < 10; k += 2) b.writeUInt16BE(hash(seed, STREAM.delivery, index, k) & 0xffff, 10 + k);
  let out = '';
  for (let i = 0; i < 18; i += 3) {
    const n = ((b[i] ?? 0) << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out += B64URL[n >>> 18 & 63]! + B64URL[n >>> 12 & 63]! + B64URL[n >>> 6 & 63]! + B64URL[n & 63]!;
  }
  const n = ((b[18] ?? 0) << 16) | ((b[19] ?? 0) << 8);
  return out + B64URL[n >>> 18 & 63]! + B64URL[n >>> 12 & 63]! + B64URL[n >>> 6 & 63]! + '=';
}

/** Inverse of deliveryId: the index, or undefined if the id was not made for this seed. */
export function deliveryIndex(seed: number, id: string): number | undefined {
  if (!/^[A-Za-z0-9_-]{27}=$/.test(id)) return undefined;
  const b = Buffer.from(id.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (b.length !== 20) return undefined;
  const index = b.readUIntBE(4, 6);
  return deliveryId(seed, index) === id ? index : undefined;
}

/** A ULID-like id (26 Crockford base32 chars): 48-bit ms time, then 80 bits from (seed, stream, index). */
export function ulid(timeMs: number, seed: number, stream: number, index: number): string {
  let out = '';
  let t = Math.max(0, Math.floor(timeMs));
  const time: string[] = [];
  for (let i = 0; i < 10; i++) { time.push(CROCKFORD[t % 32]!); t = Math.floor(t / 32); }
  out += time.reverse().join('');
  for (let i = 0; i < 16; i++) out += CROCKFORD[hash(seed, stream, index, i) % 32]!;
  return out;
}

/** A short lowercase hex reference, as in error details `(reference a1b2c3)`. */
export function hexRef(...parts: number[]): string {
  return hash(...parts).toString(16).padStart(8, '0').slice(0, 6);
}
