// The import rules on planted trees in a temp folder: a clean tree passes; a relative import that
// leaves its workspace, and an import cycle inside one, are each reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkImports, type ImportProblem } from '../src/import-rules.js';

function plant(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'import-rules-'));
  const all = { 'package.json': JSON.stringify({ workspaces: ['alpha', 'beta'] }), ...files };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function problemsOf(files: Record<string, string>): ImportProblem[] {
  const root = plant(files);
  try { return checkImports(root); } finally { rmSync(root, { recursive: true, force: true }); }
}

const clean: Record<string, string> = {
  'alpha/src/index.ts': "export * from './a.js';\n",
  'alpha/src/a.ts': "import { b } from '@x/beta';\nimport { c } from './lib/c.js';\nexport const a = b + c;\n",
  'alpha/src/lib/c.ts': 'export const c = 1;\n',
  'alpha/test/a.test.ts': "import { a } from '../src/a.js';\nconst spec = new URL('../../beta/resources/', import.meta.url);\nexport { a, spec };\n",
  'alpha/dist/a.js': "import '../../beta/dist/index.js';\n",
  'beta/src/index.ts': 'export const b = 2;\n',
  'scripts/tool.ts': "import { a } from '@x/alpha';\nimport { h } from './helpers/h.js';\nexport { a, h };\n",
  'scripts/helpers/h.ts': 'export const h = 3;\n',
};

test('a clean tree has no problems (package imports, in-workspace relative imports, URLs and dist are fine)', () => {
  assert.deepEqual(problemsOf(clean), []);
});

test('a relative import from one workspace into another is reported, naming file, specifier and workspace', () => {
  const problems = problemsOf({ ...clean, 'alpha/test/reach.test.ts': "import { b } from '../../beta/src/index.js';\nexport { b };\n" });
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.rule, 'leaves-workspace');
  assert.equal(problems[0]!.file, 'alpha/test/reach.test.ts');
  assert.match(problems[0]!.message, /imports '\.\.\/\.\.\/beta\/src\/index\.js', which leaves alpha\/: import the other workspace by its package name/);
});

test('dynamic imports and re-exports that leave the workspace are reported too, from scripts/ as well', () => {
  const problems = problemsOf({
    ...clean,
    'beta/src/again.ts': "export * from '../../alpha/src/a.js';\n",
    'scripts/dyn.ts': "export const m = await import('../alpha/src/a.js');\n",
  });
  assert.deepEqual(problems.map((p) => [p.rule, p.file]), [['leaves-workspace', 'beta/src/again.ts'], ['leaves-workspace', 'scripts/dyn.ts']]);
});

test('an import cycle inside a workspace is reported as a closed path, a type-only edge included', () => {
  const problems = problemsOf({
    ...clean,
    'beta/src/kit.ts': "import type { Snap } from './snap.js';\nexport interface Deps { snap?: Snap }\nexport const chunk = 1;\n",
    'beta/src/snap.ts': "import { chunk } from './kit.js';\nexport interface Snap { n: number }\nexport const size = chunk;\n",
  });
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.rule, 'cycle');
  assert.equal(problems[0]!.unit, 'beta');
  assert.match(problems[0]!.message, /import cycle in beta\/: src\/kit\.ts → src\/snap\.ts → src\/kit\.ts/);
});

test('a longer cycle through an index file is reported once', () => {
  const problems = problemsOf({
    ...clean,
    'alpha/src/lib/c.ts': "import { a } from '../index.js';\nexport const c = 1;\nexport const again = a;\n",
  });
  assert.deepEqual(problems.map((p) => p.rule), ['cycle']);
  assert.match(problems[0]!.message, /src\/a\.ts → src\/lib\/c\.ts → src\/index\.ts → src\/a\.ts/);
});
