// Pure rules Airbyte's acceptance tests apply to JSON schemas (connector spec and stream schemas).
// Each returns a list of problems (empty = pass); paths are JSON-pointer-like for messages.
import { newAjv } from '@cio-dw/common';

type Node = Record<string, unknown>;
const isObject = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Visits every schema node (not data, not property-name maps) with its path. */
export function walkSchema(schema: unknown, visit: (node: Node, path: string) => void, path = '#'): void {
  if (!isObject(schema)) return;
  visit(schema, path);
  for (const map of ['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas']) {
    const m = schema[map];
    if (isObject(m)) for (const [k, sub] of Object.entries(m)) walkSchema(sub, visit, `${path}/${map}/${k}`);
  }
  for (const one of ['additionalProperties', 'items', 'additionalItems', 'not', 'if', 'then', 'else', 'contains', 'propertyNames']) {
    const sub = schema[one];
    if (Array.isArray(sub)) sub.forEach((s, i) => walkSchema(s, visit, `${path}/${one}/${i}`));
    else walkSchema(sub, visit, `${path}/${one}`);
  }
  for (const list of ['oneOf', 'anyOf', 'allOf', 'prefixItems']) {
    const arr = schema[list];
    if (Array.isArray(arr)) arr.forEach((s, i) => walkSchema(s, visit, `${path}/${list}/${i}`));
  }
}

/** Draft-07 meta-schema validity, and that ajv can compile it (no dangling $ref). */
export function draft07Problems(schema: unknown): string[] {
  if (!isObject(schema)) return ['schema is not an object'];
  const ajv = newAjv();
  const copy = { ...schema };
  if (typeof copy.$schema === 'string' && !/draft-07/.test(copy.$schema)) return [`$schema is ${copy.$schema}; Airbyte expects draft-07`];
  delete copy.$schema;
  if (!ajv.validateSchema(copy)) return [`not a valid draft-07 schema: ${ajv.errorsText(ajv.errors)}`];
  try { ajv.compile(copy); } catch (e) { return [`cannot be compiled: ${(e as Error).message}`]; }
  return [];
}

export function keywordProblems(schema: unknown, keywords: readonly string[]): string[] {
  const out: string[] = [];
  walkSchema(schema, (n, p) => { for (const k of keywords) if (k in n) out.push(`${p} uses forbidden keyword "${k}"`); });
  return out;
}
export const SPEC_FORBIDDEN_KEYWORDS = ['not', 'anyOf', 'patternProperties', 'prefixItems', 'allOf', 'if', 'then', 'else', 'dependentSchemas', 'dependentRequired'] as const;

export function refProblems(schema: unknown): string[] {
  const out: string[] = [];
  walkSchema(schema, (n, p) => { if ('$ref' in n) out.push(`${p} has an unresolved $ref (${String(n.$ref)})`); });
  return out;
}

export function additionalPropertiesProblems(schema: unknown): string[] {
  const out: string[] = [];
  walkSchema(schema, (n, p) => {
    if ('additionalProperties' in n && n.additionalProperties !== true) out.push(`${p} has additionalProperties ${JSON.stringify(n.additionalProperties)}; it must be true`);
  });
  return out;
}

export function typeArrayProblems(schema: unknown): string[] {
  const out: string[] = [];
  walkSchema(schema, (n, p) => {
    const t = n.type;
    if (!Array.isArray(t)) return;
    // CAT test_property_type_is_not_array: one type, or two with "null" second.
    const ok = t.length === 1 || (t.length === 2 && t[1] === 'null' && t[0] !== 'null');
    if (!ok) out.push(`${p} has type ${JSON.stringify(t)}; only [T] or [T, "null"] ("null" second) is allowed`);
  });
  return out;
}

export function enumProblems(schema: unknown): string[] {
  const out: string[] = [];
  walkSchema(schema, (n, p) => {
    if (!Array.isArray(n.enum)) return;
    const seen = new Set(n.enum.map((v) => JSON.stringify(v)));
    if (seen.size !== n.enum.length) out.push(`${p} has duplicate enum values`);
  });
  return out;
}

/** CAT test_oneof_usage: object parent, variants with properties, exactly one shared const property. */
export function oneOfProblems(schema: unknown): string[] {
  const out: string[] = [];
  walkSchema(schema, (n, p) => {
    for (const key of ['oneOf', 'anyOf']) {
      const variants = n[key];
      if (!Array.isArray(variants)) continue;
      if (n.type !== 'object') { out.push(`${p}: the parent of ${key} must be type "object"`); continue; }
      if (!variants.every((v) => isObject(v) && isObject(v.properties))) { out.push(`${p}: every ${key} variant must have "properties"`); continue; }
      const props = variants.map((v) => (v as { properties: Record<string, Node> }).properties);
      const common = Object.keys(props[0] ?? {}).filter((k) => props.every((pr) => isObject(pr[k]) && 'const' in pr[k]!));
      if (common.length !== 1) { out.push(`${p}: ${key} variants must share exactly one property with "const" (found ${common.length})`); continue; }
      const k = common[0]!;
      props.forEach((pr, i) => {
        const prop = pr[k]!;
        if ('default' in prop && JSON.stringify(prop.default) !== JSON.stringify(prop.const)) out.push(`${p}/${key}/${i}: "${k}" default differs from its const`);
        if (Array.isArray(prop.enum) && (prop.enum.length !== 1 || JSON.stringify(prop.enum[0]) !== JSON.stringify(prop.const))) out.push(`${p}/${key}/${i}: "${k}" enum must be exactly its const`);
      });
    }
  });
  return out;
}

/** Property names CAT treats as secrets (test_secret_is_properly_marked). */
export const SECRET_PROPERTY_NAMES = [
  'client_token', 'access_token', 'api_token', 'token', 'secret', 'client_secret', 'password', 'key',
  'service_account_info', 'service_account', 'tenant_id', 'certificate', 'jwt', 'credentials', 'app_id', 'appid', 'refresh_token',
] as const;

export function secretMarkingProblems(schema: unknown): string[] {
  const out: string[] = [];
  walkSchema(schema, (n, p) => {
    if (!isObject(n.properties)) return;
    for (const [name, prop] of Object.entries(n.properties)) {
      if (!isObject(prop)) continue;
      const where = `${p}/properties/${name}`;
      const types = (Array.isArray(prop.type) ? prop.type : [prop.type]).filter((t) => t !== 'null');
      const canHold = !('const' in prop) && types.some((t) => t === 'string' || t === 'integer' || t === 'number');
      const named = (SECRET_PROPERTY_NAMES as readonly string[]).includes(name.toLowerCase());
      if (named && canHold && prop.airbyte_secret !== true) out.push(`${where} looks like a secret; mark it "airbyte_secret": true`);
      if (prop.airbyte_secret === true && !canHold) out.push(`${where} is marked airbyte_secret but its type cannot hold a secret`);
    }
  });
  return out;
}

/** The schema node at a property path (through `properties`), or undefined. */
export function schemaAtPath(schema: unknown, path: readonly string[]): Node | undefined {
  let node: unknown = schema;
  for (const part of path) {
    if (!isObject(node) || !isObject(node.properties)) return undefined;
    node = node.properties[part];
  }
  return isObject(node) ? node : undefined;
}

export function typesOf(node: Node): string[] {
  return (Array.isArray(node.type) ? node.type : [node.type]).filter((t): t is string => typeof t === 'string');
}
