// Package hygiene: metadata.yaml against the official schema, spec rules (CAT), image wiring.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { newAjv, parseConfig } from '@cio-dw/common';
import { settingsFrom, spec } from '../src/config.js';

const JSON_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];
const here = (p: string): string => readFileSync(new URL(`../${p}`, import.meta.url), 'utf8');

test('metadata.yaml validates against the Airbyte metadata schema; tag = package version', () => {
  // Nested $id values in the published schema point at YAML sources; drop them so #/ refs resolve at the root.
  const schema = JSON.parse(readFileSync('/work/shared/spec/airbyte_connector_metadata_v0.schema.json', 'utf8'),
    function (this: unknown, k: string, v: unknown) { return (k === '$id' || k === '$schema' || (k === 'type' && typeof v === 'string' && !JSON_TYPES.includes(v))) ? undefined : v; });
  const meta = parse(here('metadata.yaml')) as { data: { dockerImageTag: string; dockerRepository: string } };
  const ajv = newAjv();
  (ajv.opts as { validateSchema: boolean }).validateSchema = false;
  const validate = ajv.compile(schema);
  assert.ok(validate(meta), JSON.stringify(validate.errors));
  const pkg = JSON.parse(here('package.json'));
  assert.equal(meta.data.dockerImageTag, pkg.version);
  const docker = here('Dockerfile');
  assert.match(docker, new RegExp(`io.airbyte.name=${meta.data.dockerRepository}`));
  assert.match(docker, new RegExp(`io.airbyte.version=${pkg.version}`));
  const entry = /ENTRYPOINT \["node", "([^"]+)"\]/.exec(docker)?.[1];
  assert.ok(docker.includes(`AIRBYTE_ENTRYPOINT="node ${entry}"`));
});

test('spec follows Airbyte rules: oneOf with one const discriminator, secrets marked, additionalProperties only true', () => {
  const walk = (s: any, path: string): void => {
    if (typeof s !== 'object' || s === null) return;
    if ('additionalProperties' in s) assert.equal(s.additionalProperties, true, path);
    for (const kw of ['not', 'anyOf', 'allOf', 'patternProperties', 'if', '$ref']) assert.ok(!(kw in s), `${path} uses ${kw}`);
    if (Array.isArray(s.oneOf)) {
      assert.equal(s.type, 'object', path);
      const consts = s.oneOf.map((v: any) => Object.entries(v.properties).filter(([, p]: any) => 'const' in p).map(([k]) => k));
      assert.ok(consts.every((c: string[]) => c.length === 1 && c[0] === consts[0][0]), `${path}: one common const`);
      for (const v of s.oneOf) { const c = v.properties[consts[0][0]]; assert.equal(c.default, c.const); }
    }
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      if (/secret|key$|token|password/.test(k) && k !== 'access_key_id') assert.equal((v as any).airbyte_secret, true, `${path}.${k}`);
      walk(v, `${path}.${k}`);
    }
    for (const [i, v] of (s.oneOf ?? []).entries()) walk(v, `${path}[${i}]`);
  };
  walk(spec.connectionSpecification, 'spec');
  const cfg = parseConfig<any>(spec.connectionSpecification, JSON.parse(here('integration_tests/config_local.json')));
  assert.equal(cfg.include_airbyte_columns, true);
  assert.equal(cfg.target_file_size_mb, 128);
  assert.equal(settingsFrom(cfg as never).rowGroupRows, 10000); // ajv applies no defaults inside oneOf: code does
});
