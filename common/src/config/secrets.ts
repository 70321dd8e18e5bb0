// Finds airbyte_secret values in a config and redacts them from any text.
import type { JsonSchema } from '../protocol/types.js';

const MASK = '**********';

/** Every string/number value in `config` whose schema node is marked `airbyte_secret: true`. */
export function secretValues(schema: JsonSchema, config: unknown): string[] {
  const out: string[] = [];
  visit(schema, config, out);
  return [...new Set(out)].filter((s) => s.length >= 3);
}

function visit(schema: unknown, value: unknown, out: string[]): void {
  if (!isObject(schema) || value === undefined || value === null) return;
  if (schema.airbyte_secret === true && (typeof value === 'string' || typeof value === 'number')) {
    out.push(String(value));
    return;
  }
  for (const variants of [schema.oneOf, schema.anyOf]) {
    if (Array.isArray(variants)) for (const v of variants) visit(v, value, out);
  }
  if (isObject(value) && isObject(schema.properties)) {
    for (const [k, sub] of Object.entries(schema.properties)) visit(sub, value[k], out);
  }
  if (Array.isArray(value) && schema.items) for (const v of value) visit(schema.items, v, out);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Returns a function replacing each secret (raw and JSON-escaped) with a mask. */
export function makeRedactor(secrets: readonly string[]): (text: string) => string {
  const needles = [...new Set(secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))]
    .sort((a, b) => b.length - a.length);
  if (needles.length === 0) return (t) => t;
  return (text) => {
    let out = text;
    for (const n of needles) if (out.includes(n)) out = out.split(n).join(MASK);
    return out;
  };
}
