// Parses a connector config once: validate against the spec, apply defaults (false and 0 kept), freeze.
import { Ajv } from 'ajv';
import type { ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ConfigError } from '../errors.js';
import type { JsonSchema } from '../protocol/types.js';

// ajv-formats is CommonJS; under NodeNext its plugin function may sit on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (a: Ajv) => void;

export function newAjv(options: { useDefaults?: boolean } = {}): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, useDefaults: options.useDefaults ?? false });
  addFormats(ajv);
  // Airbyte spec keywords that are not JSON Schema.
  for (const kw of ['airbyte_secret', 'airbyte_hidden', 'always_show', 'order', 'group', 'display_type', 'multiline', 'airbyte_type']) {
    try { ajv.addKeyword(kw); } catch { /* already known */ }
  }
  return ajv;
}

export function describeAjvErrors(errors: ErrorObject[] | null | undefined, root = 'config'): string {
  if (!errors?.length) return 'invalid';
  return errors
    .filter((e) => e.keyword !== 'if')
    .slice(0, 8)
    .map((e) => {
      const where = `${root}${e.instancePath.replace(/\//g, '.')}`;
      if (e.keyword === 'required') return `${where} is missing required field "${(e.params as { missingProperty: string }).missingProperty}"`;
      if (e.keyword === 'enum') return `${where} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
      if (e.keyword === 'additionalProperties') return `${where} has unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
      return `${where} ${e.message ?? 'is invalid'}`;
    })
    .join('; ');
}

/**
 * Validates `raw` against `connectionSpecification`, fills in defaults (including `false` and `0`),
 * and returns a deep-frozen copy. Error messages name fields, never values.
 */
export function parseConfig<C>(connectionSpecification: JsonSchema, raw: unknown, prefix = 'config'): Readonly<C> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${prefix}: the config must be a JSON object`);
  }
  const copy = structuredClone(raw) as Record<string, unknown>;
  const ajv = newAjv({ useDefaults: true });
  const validate = ajv.compile(connectionSpecification);
  if (!validate(copy)) {
    throw new ConfigError(`${prefix}: invalid config: ${describeAjvErrors(validate.errors)}. Fix the config to match the connector's spec.`);
  }
  return deepFreeze(copy) as Readonly<C>;
}

export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v as Record<string, unknown>)) deepFreeze(x);
  }
  return v;
}
