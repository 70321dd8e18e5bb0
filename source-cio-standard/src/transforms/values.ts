// Small pure coercions shared by the transforms. The App API is loose about types (ids as strings,
// null for empty lists), so rows are normalised here, never in the streams.
type Obj = Record<string, unknown>;

/** Epoch seconds → ISO 8601 UTC ("2026-11-01T00:00:00.000Z"), or null. */
export function isoFromSeconds(v: unknown): string | null {
  const n = toInt(v);
  return n === null ? null : new Date(n * 1000).toISOString();
}

/** An integer from a number or a numeric string; otherwise null. */
export function toInt(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return null;
}

export function toStr(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function toBool(v: unknown): boolean {
  return v === true || v === 'true' || v === 1 || v === '1';
}

export function obj(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Obj : {};
}

/** An id that should be an integer but may arrive as a numeric string (live action ids). Non-numeric strings stay. */
export function normaliseId(v: unknown): number | string | null {
  const n = toInt(v);
  if (n !== null) return n;
  return typeof v === 'string' ? v : null;
}
