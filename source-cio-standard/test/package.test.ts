// Hygiene: metadata.yaml validates against Airbyte's metadata schema, tag = package version, Dockerfile labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { validateMetadata } from '@cio-dw/testkit';

const dir = new URL('../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name: string; version: string };
const meta = parse(readFileSync(new URL('metadata.yaml', dir), 'utf8')) as { data: Record<string, any> };

test('metadata.yaml is valid and matches the package', () => {
  assert.deepEqual(validateMetadata(meta), []);
  assert.equal(pkg.name, '@cio-dw/source-cio-standard');
  assert.equal(meta.data['dockerImageTag'], pkg.version);
  assert.equal(meta.data['dockerRepository'], 'cio-dw/source-cio-standard');
  assert.deepEqual(meta.data['allowedHosts'].hosts, ['api.customer.io', 'api-eu.customer.io']);
});

test('Dockerfile sets AIRBYTE_ENTRYPOINT and the io.airbyte labels', () => {
  const d = readFileSync(new URL('Dockerfile', dir), 'utf8');
  assert.match(d, /ENV AIRBYTE_ENTRYPOINT="node \/airbyte\/integration_code\/source-cio-standard\/bin\/source-cio-standard.js"/);
  assert.match(d, new RegExp(`LABEL io.airbyte.version=${pkg.version.replace(/\./g, '\\.')}`));
  assert.match(d, /LABEL io.airbyte.name=cio-dw\/source-cio-standard/);
});
