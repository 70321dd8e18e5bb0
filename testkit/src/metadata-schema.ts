// Loads the vendored Airbyte connector metadata schema (airbyte-connector-models
// ConnectorMetadataDefinitionV0.json) and validates metadata.yaml documents against it.
// Two upstream quirks of that bundled file are repaired in memory (the vendored file stays verbatim):
// - `data.generated.metrics.{all,cloud,oss}` say `"type": "ConnectorMetric"`, a type name meant as a
//   reference to the sibling definition, which no validator accepts: the definition is inlined;
// - nested sub-schemas keep the `$id` of their source file, yet every `$ref` in the bundle is written
//   relative to the root (`#/properties/data/…`): nested `$id`s are dropped so the refs resolve.
import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { describeAjvErrors, newAjv } from '@cio-dw/common';
import { SPEC_DIR } from './protocol-validator.js';

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
type Node = Record<string, unknown>;
const isObject = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

function collectDefinitions(node: unknown, out: Map<string, Node>): void {
  if (Array.isArray(node)) { node.forEach((n) => collectDefinitions(n, out)); return; }
  if (!isObject(node)) return;
  if (isObject(node.definitions)) for (const [k, v] of Object.entries(node.definitions)) if (isObject(v) && !out.has(k)) out.set(k, v);
  for (const v of Object.values(node)) collectDefinitions(v, out);
}

function repair(node: unknown, defs: Map<string, Node>, root = false): void {
  if (Array.isArray(node)) { node.forEach((n) => repair(n, defs)); return; }
  if (!isObject(node)) return;
  if (!root) { delete node.$id; delete node.$schema; }
  if (typeof node.type === 'string' && !JSON_TYPES.has(node.type)) {
    const def = defs.get(node.type);
    delete node.type;
    if (def) Object.assign(node, structuredClone(def));
  }
  for (const v of Object.values(node)) repair(v, defs);
}

/** The metadata schema, repaired as described above. */
export function loadMetadataSchema(): Node {
  const schema = JSON.parse(readFileSync(new URL('airbyte_connector_metadata_v0.schema.json', SPEC_DIR), 'utf8')) as Node;
  const defs = new Map<string, Node>();
  collectDefinitions(schema, defs);
  repair(schema, defs, true);
  return schema;
}

let validate: ValidateFunction | undefined;
/** Problems with a parsed metadata.yaml document; empty when it is valid. */
export function validateMetadata(metadata: unknown): string[] {
  validate ??= newAjv().compile(loadMetadataSchema());
  return validate(metadata) ? [] : [describeAjvErrors(validate.errors, 'metadata')];
}
