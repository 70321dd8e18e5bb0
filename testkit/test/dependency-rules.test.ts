// The dependency rules: production closures on literal lock files, and undeclared imports on planted
// temp trees (a shipped file importing a package the workspace does not declare → reported).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { devOnlyReached, packageOf, productionClosure, undeclaredImports, type PackageLock } from '../src/dependency-rules.js';

test('packageOf: bare names, deep imports, scopes; builtins are not packages', () => {
  assert.equal(packageOf('yaml'), 'yaml');
  assert.equal(packageOf('s3rver/lib/models/object'), 's3rver');
  assert.equal(packageOf('@aws-sdk/client-s3'), '@aws-sdk/client-s3');
  assert.equal(packageOf('@cio-dw/testkit/sub'), '@cio-dw/testkit');
  assert.equal(packageOf('node:fs'), undefined);
  assert.equal(packageOf('fs/promises'), undefined);
});

const lock: PackageLock = {
  packages: {
    '': { name: 'root' },
    app: { name: '@x/app', dependencies: { '@x/kit': '1.0.0', left: '1' } },
    kit: { name: '@x/kit', dependencies: { right: '2' } },
    testkit: { name: '@x/testkit', dependencies: { '@x/kit': '1.0.0', s3rver: '3' } },
    'node_modules/@x/app': { link: true, resolved: 'app' },
    'node_modules/@x/kit': { link: true, resolved: 'kit' },
    'node_modules/@x/testkit': { link: true, resolved: 'testkit' },
    'node_modules/left': { version: '1', dependencies: { shared: '^1' } },
    'node_modules/right': { version: '2', dependencies: { shared: '^2' } },
    'node_modules/shared': { version: '1' },
    'node_modules/right/node_modules/shared': { version: '2', dependencies: { deep: '*' } },
    'node_modules/deep': { version: '1' },
    'node_modules/s3rver': { version: '3', dev: true },
  } as PackageLock['packages'],
};

test('productionClosure follows workspace links and nested node_modules like npm ls --omit=dev', () => {
  assert.deepEqual(productionClosure(lock, 'app'), ['@x/kit', 'deep', 'left', 'right', 'shared']);
  assert.deepEqual(productionClosure(lock, 'testkit'), ['@x/kit', 'deep', 'right', 's3rver', 'shared']);
});

test('devOnlyReached names the dev-only packages of a closure, by exact name or scope', () => {
  assert.deepEqual(devOnlyReached(['@duckdb/node-api', '@x/kit', 's3rver', 'tsx-like'], ['s3rver', '@duckdb/', 'tsx']), ['@duckdb/node-api', 's3rver']);
  const bad: PackageLock = { packages: { ...lock.packages, app: { name: '@x/app', dependencies: { '@x/testkit': '1.0.0' } } } };
  assert.deepEqual(devOnlyReached(productionClosure(bad, 'app'), ['@x/testkit', 's3rver']), ['@x/testkit', 's3rver']);
});

function plant(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dependency-rules-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

test('undeclaredImports: shipped files may import builtins, themselves and declared dependencies; tests and benches anything', () => {
  const root = plant({
    'kit/package.json': JSON.stringify({ name: '@x/kit', dependencies: { yaml: '2' }, devDependencies: { '@x/testkit': '1' } }),
    'kit/src/a.ts': "import { readFileSync } from 'node:fs';\nimport { parse } from 'yaml';\nimport type { K } from '@x/kit';\nexport { readFileSync, parse };\nexport type { K };\n",
    'kit/test/a.test.ts': "import { startS3TestServer } from '@x/testkit';\nexport { startS3TestServer };\n",
    'kit/bench/b.ts': "import duck from '@duckdb/node-api';\nexport { duck };\n",
  });
  try { assert.deepEqual(undeclaredImports(root, 'kit'), []); } finally { rmSync(root, { recursive: true, force: true }); }
});

test('undeclaredImports reports a shipped file (src/ or a bin folder) importing an undeclared or dev-only package', () => {
  const root = plant({
    'kit/package.json': JSON.stringify({ name: '@x/kit', dependencies: { yaml: '2' }, devDependencies: { '@x/testkit': '1' } }),
    'kit/src/a.ts': "import { startS3TestServer } from '@x/testkit';\nexport { startS3TestServer };\n",
    'kit/testing-bin/child.mjs': "import S3rver from 's3rver';\nexport default S3rver;\n",
  });
  try {
    assert.deepEqual(undeclaredImports(root, 'kit'), [
      "kit/src/a.ts imports '@x/testkit', but kit/package.json does not declare @x/testkit in its dependencies",
      "kit/testing-bin/child.mjs imports 's3rver', but kit/package.json does not declare s3rver in its dependencies",
    ]);
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('undeclaredImports with devOnly: a dev-only workspace may import its devDependencies, not undeclared packages', () => {
  const root = plant({
    'tk/package.json': JSON.stringify({ name: '@x/tk', devDependencies: { s3rver: '3', '@x/kit': '1' } }),
    'tk/src/a.ts': "import { k } from '@x/kit';\nimport S3rver from 's3rver';\nexport { k, S3rver };\n",
    'tk/src/b.ts': "import duck from '@duckdb/node-api';\nexport { duck };\n",
  });
  try {
    assert.deepEqual(undeclaredImports(root, 'tk', { devOnly: true }), [
      "tk/src/b.ts imports '@duckdb/node-api', but tk/package.json does not declare @duckdb/node-api in its dependencies or devDependencies",
    ]);
    assert.equal(undeclaredImports(root, 'tk').length, 3, 'without devOnly, devDependencies do not count');
  } finally { rmSync(root, { recursive: true, force: true }); }
});
