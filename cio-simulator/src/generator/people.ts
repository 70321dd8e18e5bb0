// People: derived from (seed, index); the workspace keeps changes in an overlay.
import { Rand, hash, STREAM } from '../rng.js';

export interface Person {
  index: number;
  cio_id: string;
  /** The external `id` (null for email-only people). */
  id: string | null;
  email: string | null;
  created: number;
  /** Attribute values as the API returns them (strings). `id`, `email`, `created_at` included. */
  attributes: Record<string, string>;
  /** Per-attribute last-change time, epoch seconds. */
  timestamps: Record<string, number>;
  deleted: boolean;
  suppressed: boolean;
  unsubscribed: boolean;
  devices: Array<{ id: string; platform: string; last_used: number }>;
}

const FIRST = ['Ada', 'Ben', 'Cleo', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jun', 'Kai', 'Lia', 'Max', 'Noa', 'Oli', 'Pia'];
const LAST = ['Smith', 'Ng', 'Garcia', 'Okafor', 'Kowalski', 'Rossi', 'Tanaka', 'Dubois', 'Silva', 'Jensen'];
const PLANS = ['free', 'starter', 'pro', 'enterprise'];
const CITIES = ['Berlin', 'Lagos', 'Lima', 'Osaka', 'Portland', 'Toronto', 'Pune', 'Lyon'];

export const cioIdOf = (index: number): string => `a3${index.toString(16).padStart(6, '0')}`;
export function indexOfCioId(cioId: string): number | undefined {
  const m = /^(?:cio_)?a3([0-9a-f]{6,})$/.exec(cioId);
  return m?.[1] === undefined ? undefined : parseInt(m[1], 16);
}
export const externalIdOf = (index: number): string => String(100000 + index);
export function indexOfExternalId(id: string): number | undefined {
  return /^\d{6,}$/.test(id) ? Number(id) - 100000 : undefined;
}
function nameOf(seed: number, index: number): [string, string] {
  const r = new Rand(hash(seed, STREAM.person, index, 1));
  return [r.pick(FIRST), r.pick(LAST)];
}
export const emailOf = (seed: number, index: number): string => {
  const [first, last] = nameOf(seed, index);
  return `${first.toLowerCase()}.${last.toLowerCase()}.${index}@example.com`;
};
export function indexOfEmail(email: string): number | undefined {
  const m = /\.(\d+)@example\.com$/.exec(email);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/** The generated state of person `index` at the clock start `genNow`. */
export function basePerson(seed: number, index: number, genNow: number, spanDays: number): Person {
  const r = new Rand(hash(seed, STREAM.person, index));
  const cio_id = cioIdOf(index);
  const id = r.chance(0.08) ? null : externalIdOf(index);
  const email = emailOf(seed, index);
  const [first, last] = nameOf(seed, index);
  const span = (spanDays + 365) * 86400;
  const created = genNow - span + r.int(span - 3600);
  const later = (): number => created + r.int(Math.max(1, genNow - created));
  const attributes: Record<string, string> = {
    email, cio_id, created_at: String(created),
    first_name: first, last_name: last, plan: r.pick(PLANS), city: r.pick(CITIES),
    score: String(r.int(1000)),
  };
  if (id !== null) attributes['id'] = id;
  const timestamps: Record<string, number> = {};
  for (const k of Object.keys(attributes)) timestamps[k] = created;
  timestamps['plan'] = later();
  timestamps['score'] = later();
  const unsubscribed = r.chance(0.05);
  if (unsubscribed) { attributes['unsubscribed'] = 'true'; timestamps['unsubscribed'] = later(); }
  const devices = r.chance(0.25)
    ? [{ id: `dev-${index.toString(36)}-${r.int(1e6).toString(36)}`, platform: r.pick(['ios', 'android']), last_used: later() }]
    : [];
  return {
    index, cio_id, id, email, created, attributes, timestamps,
    deleted: r.chance(0.02), suppressed: r.chance(0.02), unsubscribed, devices,
  };
}

export function clonePerson(p: Person): Person {
  return { ...p, attributes: { ...p.attributes }, timestamps: { ...p.timestamps }, devices: p.devices.map((d) => ({ ...d })) };
}
