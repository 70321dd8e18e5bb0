// Repository hygiene: package names match folders; each connector's metadata.yaml validates against
// Airbyte's metadata schema with dockerImageTag = package version; its spec and stream schemas are
// valid; Dockerfile and acceptance-test-config.yml exist; the vendored official schemas equal
// ../shared/spec when that folder is present; no relative import leaves its workspace (other workspaces
// are imported by package name) and no workspace has an import cycle (the rules' own tests:
// testkit/test/import-rules.test.ts); what a package ships imports only its declared dependencies, and
// no production package's dependency tree reaches a dev-only one (testkit/test/dependency-rules.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { loadAcceptanceConfig } from '@cio-dw/testkit';
import { loadMetadataSchema, validateMetadata } from '@cio-dw/testkit';
import { validateConnectorSpecification } from '@cio-dw/testkit';
import { draft07Problems } from '@cio-dw/testkit';
import { checkImports } from '@cio-dw/testkit';
import { devOnlyReached, productionClosure, undeclaredImports, type PackageLock } from '@cio-dw/testkit';

const root = fileURLToPath(new URL('..', import.meta.url));
const vendored = join(root, 'testkit/resources/spec');
const shared = join(root, '../shared/spec');
const CONNECTORS = ['source-cio-standard', 'source-cio-advanced', 'destination-bucket'];
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;

test('every workspace package is named @cio-dw/<folder>', () => {
  const workspaces = readJson(join(root, 'package.json')).workspaces as string[];
  assert.ok(workspaces.length >= 5);
  for (const folder of workspaces) {
    assert.equal(readJson(join(root, folder, 'package.json')).name, `@cio-dw/${folder}`, `${folder}/package.json`);
  }
});

test('the vendored Airbyte schemas are present, parse, and equal ../shared/spec when it exists', () => {
  const files = readdirSync(vendored).filter((f) => !f.endsWith('.md')).sort();
  assert.deepEqual(files, ['airbyte_connector_metadata_v0.schema.json', 'airbyte_protocol.yaml', 'airbyte_well_known_types.yaml']);
  const protocol = parseYaml(readFileSync(join(vendored, 'airbyte_protocol.yaml'), 'utf8')) as { definitions: Record<string, unknown> };
  assert.ok(protocol.definitions.AirbyteMessage && protocol.definitions.ConfiguredAirbyteCatalog);
  // The upstream file uses a type name as a type (see metadata-schema.ts); after the in-memory repair it must be valid.
  assert.deepEqual(draft07Problems(loadMetadataSchema()), []);
  if (existsSync(shared)) {
    for (const f of files) {
      assert.ok(readFileSync(join(vendored, f)).equals(readFileSync(join(shared, f))), `testkit/resources/spec/${f} differs from ../shared/spec/${f}`);
    }
  }
});

for (const folder of CONNECTORS.filter((f) => existsSync(join(root, f, 'package.json')))) {
  const dir = join(root, folder);
  const pkg = readJson(join(dir, 'package.json'));

  test(`${folder}: package name is @cio-dw/${folder} and its bin entry exists`, () => {
    assert.equal(pkg.name, `@cio-dw/${folder}`);
    const bin = pkg.bin as Record<string, string> | undefined;
    assert.ok(bin && bin[folder], `${folder}/package.json must declare bin "${folder}"`);
    assert.ok(existsSync(join(dir, bin[folder]!)), `${folder}/${bin[folder]} is missing`);
  });

  if (existsSync(join(dir, 'resources/spec.json'))) {
    test(`${folder}: resources/spec.json is a valid ConnectorSpecification with a draft-07 connectionSpecification`, () => {
      const spec = readJson(join(dir, 'resources/spec.json'));
      assert.deepEqual(validateConnectorSpecification(spec), []);
      assert.deepEqual(draft07Problems(spec.connectionSpecification), []);
    });
  }

  const schemaDir = join(dir, 'resources/schemas');
  if (folder.startsWith('source-') || existsSync(schemaDir)) {
    test(`${folder}: every stream schema in resources/schemas is a valid draft-07 object schema`, () => {
      const files = existsSync(schemaDir) ? readdirSync(schemaDir).filter((f) => f.endsWith('.json')) : [];
      if (folder.startsWith('source-')) assert.ok(files.length > 0, `${folder} has no stream schemas in resources/schemas`);
      for (const f of files) {
        const schema = readJson(join(schemaDir, f));
        assert.deepEqual(draft07Problems(schema), [], `resources/schemas/${f}`);
        assert.ok(schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object')), `resources/schemas/${f} must describe an object`);
        assert.match(f, /^[a-z][a-z0-9_]*\.json$/, `stream schema file names are snake_case stream names: ${f}`);
      }
    });
  }

  // Connectors gain metadata.yaml when they are packaged; until then there is nothing to check.
  if (existsSync(join(dir, 'metadata.yaml'))) {
    test(`${folder}: metadata.yaml validates against the Airbyte metadata schema; dockerImageTag = package version`, () => {
      const metadata = parseYaml(readFileSync(join(dir, 'metadata.yaml'), 'utf8')) as { data: Record<string, unknown> };
      assert.deepEqual(validateMetadata(metadata), [], `${folder}/metadata.yaml`);
      assert.equal(metadata.data.dockerImageTag, pkg.version, 'dockerImageTag must equal the package.json version');
      assert.equal(metadata.data.connectorType, folder.startsWith('source-') ? 'source' : 'destination');
      assert.match(String(metadata.data.dockerRepository), new RegExp(`/${folder}$`), 'dockerRepository must end with the folder name');
    });
    test(`${folder}: Dockerfile exists and acceptance-test-config.yml is valid`, () => {
      assert.ok(existsSync(join(dir, 'Dockerfile')), `${folder}/Dockerfile is missing`);
      const config = loadAcceptanceConfig(join(dir, 'acceptance-test-config.yml'));
      assert.ok(config.acceptance_tests.spec, 'acceptance-test-config.yml must have a spec section');
    });
  }
}

test('no relative import leaves its workspace: other workspaces are imported by package name', () => {
  assert.deepEqual(checkImports(root).filter((p) => p.rule === 'leaves-workspace').map((p) => p.message), []);
});

test('no import cycle inside a workspace', () => {
  assert.deepEqual(checkImports(root).filter((p) => p.rule === 'cycle').map((p) => p.message), []);
});

// Development only: never in a production package's dependency tree (`npm ls --omit=dev -w <package>`).
const DEV_ONLY_WORKSPACES = ['testkit', 'cio-simulator'];
const DEV_ONLY_PACKAGES = ['@cio-dw/testkit', '@cio-dw/cio-simulator', 's3rver', '@duckdb/', '@customerio/', 'autocannon', 'tsx', 'typescript'];

const WORKSPACES = readJson(join(root, 'package.json')).workspaces as string[];
for (const folder of WORKSPACES) {
  const devOnly = DEV_ONLY_WORKSPACES.includes(folder);
  test(`${folder}: what it ships (all but test/, bench/) imports only builtins, itself and its declared ${devOnly ? '(dev) ' : ''}dependencies`, () => {
    assert.deepEqual(undeclaredImports(root, folder, { devOnly }), []);
  });
  if (DEV_ONLY_WORKSPACES.includes(folder)) continue;
  test(`${folder}: its production dependency tree reaches no test kit, simulator, s3rver, DuckDB, SDK or dev tool`, () => {
    const lock = readJson(join(root, 'package-lock.json')) as unknown as PackageLock;
    assert.deepEqual(devOnlyReached(productionClosure(lock, folder), DEV_ONLY_PACKAGES), []);
  });
}

test('a production prune of the whole repository (npm prune --omit=dev, as the images do) keeps no dev-only package', () => {
  // Workspaces are always kept, so a dev-only workspace lists its own packages as devDependencies.
  const lock = readJson(join(root, 'package-lock.json')) as unknown as PackageLock;
  const kept = new Set(WORKSPACES.flatMap((w) => productionClosure(lock, w)));
  const thirdParty = DEV_ONLY_PACKAGES.filter((p) => !p.startsWith('@cio-dw/'));
  assert.deepEqual(devOnlyReached([...kept].sort(), thirdParty), []);
});
