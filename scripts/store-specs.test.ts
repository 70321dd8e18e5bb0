// The store choice reads the same everywhere: the spool section of both sources' specs is common's
// spoolConfigSchema, and the destination's Azure Blob and GCS variants carry exactly common's fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { azureBlobConfigProperties, gcsConfigProperties, spoolConfigSchema } from '@cio-dw/common';

const spec = (folder: string) => JSON.parse(readFileSync(new URL(`../${folder}/resources/spec.json`, import.meta.url), 'utf8')).connectionSpecification;
const consts = (oneOf: Array<{ properties: Record<string, { const?: string }> }>, field: string) => oneOf.map((v) => v.properties[field]?.const);

test('both sources offer the spool as Local / S3 / Azure Blob / GCS, exactly as common defines it', () => {
  const adv = spec('source-cio-advanced').properties.spool;
  const std = spec('source-cio-standard').properties.reporting_webhooks.properties.spool;
  for (const s of [adv, std]) {
    assert.deepEqual(consts(s.oneOf, 'storage'), ['local', 's3', 'azure', 'gcs']);
    assert.deepEqual(s.oneOf, spoolConfigSchema.oneOf);
  }
});

test('the destination offers Local / S3 / Azure Blob / GCS; the Azure and GCS fields (and secrets) are common\'s', () => {
  const oneOf = spec('destination-bucket').properties.store.oneOf;
  assert.deepEqual(consts(oneOf, 'store_type'), ['local', 's3', 'azure', 'gcs']);
  const without = (p: Record<string, unknown>) => Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'store_type'));
  assert.deepEqual(without(oneOf[2].properties), azureBlobConfigProperties);
  assert.deepEqual(without(oneOf[3].properties), gcsConfigProperties);
  const secrets = (p: Record<string, { airbyte_secret?: boolean }>) => Object.keys(p).filter((k) => p[k]!.airbyte_secret).sort();
  assert.deepEqual(secrets(azureBlobConfigProperties as never), ['account_key', 'connection_string', 'sas_token']);
  assert.deepEqual(secrets(gcsConfigProperties as never), ['service_account_json']);
});
