// The connector images as their files describe them: each Dockerfile copies nothing from the build
// context but the root package.json, lockfile and tsconfig.base.json, common and its own connector;
// both stages use the pinned Node 24 image that metadata.yaml records; labels, entrypoint, user and
// documentation links agree with metadata.yaml and the spec; allowedHosts admits the S3 spool
// endpoints the sources offer (resolved the way the Airbyte platform resolves them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { allowedHostsFor, contextSources, dockerignore, hostAllowed, IMAGE_NODE_VERSION, keyValues, parseDockerfile } from '@cio-dw/testkit';

const root = fileURLToPath(new URL('..', import.meta.url));
const CONNECTORS = ['source-cio-standard', 'source-cio-advanced', 'destination-bucket'];
const ROOT_FILES = ['package.json', 'package-lock.json', 'tsconfig.base.json'];
const metadata = (c: string) => (parseYaml(readFileSync(join(root, c, 'metadata.yaml'), 'utf8')) as { data: Record<string, any> }).data;

/** Context paths a Dockerfile may copy: the root manifests, common and the connector itself. */
export function copyProblems(dockerfile: string, connector: string): string[] {
  const allowed = new Set([...ROOT_FILES, 'common', connector]);
  return contextSources(parseDockerfile(dockerfile)).filter((s) => !allowed.has(s)).map((s) => `copies "${s}" from the build context`);
}

test('copyProblems catches COPY . ., another connector, the simulator and globs', () => {
  const df = (copy: string) => `FROM node:${IMAGE_NODE_VERSION}-bookworm-slim AS build\nWORKDIR /src\n${copy}\n`;
  assert.deepEqual(copyProblems(df('COPY . .'), 'x'), ['copies "." from the build context']);
  assert.deepEqual(copyProblems(df('COPY package.json package-lock.json ./\nCOPY common/ common/\nCOPY x/ x/'), 'x'), []);
  assert.deepEqual(copyProblems(df('COPY cio-simulator/ cio-simulator/\nCOPY y/ y/'), 'x'), ['copies "cio-simulator" from the build context', 'copies "y" from the build context']);
  assert.deepEqual(copyProblems(df('COPY ./common/src common/src'), 'x'), ['copies "common/src" from the build context']);
  assert.deepEqual(copyProblems(df('COPY --from=build /src /app'), 'x'), []);
});

for (const c of CONNECTORS) {
  test(`${c}: the Dockerfile copies only ${ROOT_FILES.join(', ')}, common and ${c}`, () => {
    assert.deepEqual(copyProblems(readFileSync(join(root, c, 'Dockerfile'), 'utf8'), c), []);
  });

  test(`${c}: pinned Node ${IMAGE_NODE_VERSION} in both stages = metadata baseImage; labels, entrypoint, uid 1000 and docs agree`, () => {
    const stages = parseDockerfile(readFileSync(join(root, c, 'Dockerfile'), 'utf8'));
    const m = metadata(c);
    assert.equal(stages.length, 2);
    for (const s of stages) {
      assert.match(s.from, new RegExp(`^node:${IMAGE_NODE_VERSION.replace(/\./g, '\\.')}-[a-z]+-slim$`), 'an exact Node version tag');
      assert.equal(m.connectorBuildOptions?.baseImage, `docker.io/library/${s.from}`);
    }
    const final = stages[1]!;
    assert.equal(final.labels['io.airbyte.name'], m.dockerRepository);
    assert.equal(final.labels['io.airbyte.version'], m.dockerImageTag);
    assert.deepEqual(final.env.AIRBYTE_ENTRYPOINT?.split(' '), final.entrypoint);
    assert.equal(final.user, '1000:1000');
    assert.equal(final.workdir, '/airbyte/integration_code');
    const spec = JSON.parse(readFileSync(join(root, c, 'resources', 'spec.json'), 'utf8')) as { documentationUrl: string };
    assert.equal(spec.documentationUrl, m.documentationUrl);
    assert.match(String(m.releaseDate), /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(m.icon && existsSync(join(root, c, m.icon)), `icon ${m.icon} exists`);
    const acceptance = parseYaml(readFileSync(join(root, c, 'acceptance-test-config.yml'), 'utf8')) as { connector_image: string };
    assert.equal(acceptance.connector_image, `${m.dockerRepository}:${m.dockerImageTag}`, 'the acceptance config names the image the README builds');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    assert.ok(readme.includes(`-t ${m.dockerRepository}:${m.dockerImageTag} .`), 'the README builds that tag');
  });
}

test('.dockerignore keeps tests, benches, docs, secrets, builds and node_modules out', () => {
  const ignored = dockerignore(readFileSync(join(root, '.dockerignore'), 'utf8'));
  for (const p of ['.git', 'cio-simulator/src/index.ts', 'common/test/kit/x.ts', 'destination-bucket/bench/b.ts', 'node_modules/x', 'common/node_modules/y',
    'source-cio-standard/secrets/config.json', 'common/dist/index.js', 'source-cio-advanced/docs/README.md', 'demo-bucket/a', 'common/testing-bin/s.mjs']) assert.ok(ignored(p), p);
  for (const p of ['package.json', 'common/src/index.ts', 'destination-bucket/bin/destination-bucket.js', 'source-cio-advanced/integration_tests/spool', 'source-cio-standard/resources/spec.json']) assert.ok(!ignored(p), p);
  const negated = dockerignore('**/*.md\n!keep/README.md');
  assert.ok(negated('a/b.md') && !negated('keep/README.md'));
  assert.deepEqual(keyValues('A=1 B="two words" C=x\\"y'), { A: '1', B: 'two words', C: 'x\\"y' });
});

test('allowedHosts admits the S3 spool endpoints both sources offer, and the App API hosts', () => {
  const std = metadata('source-cio-standard').allowedHosts.hosts as string[];
  const adv = metadata('source-cio-advanced').allowedHosts.hosts as string[];
  const s3 = (extra: Record<string, unknown> = {}) => ({ storage: 's3', bucket: 'my-spool', region: 'eu-west-1', ...extra });
  // AWS (virtual-hosted and path-style, regional and global) and a custom S3-compatible endpoint.
  const awsHosts = ['my-spool.s3.eu-west-1.amazonaws.com', 's3.eu-west-1.amazonaws.com', 'my-spool.s3.amazonaws.com'];
  for (const h of awsHosts) assert.ok(hostAllowed(allowedHostsFor(adv, { spool: s3() }), h), `advanced: ${h}`);
  assert.ok(hostAllowed(allowedHostsFor(adv, { spool: s3({ endpoint: 'https://minio.internal:9000' }) }), 'minio.internal'));
  assert.ok(!hostAllowed(allowedHostsFor(adv, { spool: s3() }), 'evil.example.com'));
  const stdConfig = { app_api_key: 'k', region: 'EU', workspace_id: 1, reporting_webhooks: { spool: s3({ endpoint: 'http://10.0.0.5:9000' }) } };
  for (const h of ['api.customer.io', 'api-eu.customer.io', '10.0.0.5', ...awsHosts]) assert.ok(hostAllowed(allowedHostsFor(std, stdConfig), h), `standard: ${h}`);
  assert.ok(!hostAllowed(allowedHostsFor(std, { app_api_key: 'k' }), 'minio.internal'));
});
