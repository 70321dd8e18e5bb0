// The pure parts of the import rules, on literal inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importCycles, importSpecifiers, resolveRelative } from '../src/import-graph.js';

test('importSpecifiers finds static, type-only, re-export, side-effect, dynamic and require imports, not comments or strings', () => {
  const source = [
    "import { a } from './a.js';",
    "import type { B } from '../b.js';",
    "export * from './c.js';",
    "export { d } from '@scope/d';",
    "import './side-effect.js';",
    "const e = await import('./e.js');",
    "const f = require('./f.cjs');",
    "// import { x } from '../../commented.js';",
    "/* import { y } from '../../block.js'; */",
    "const s = \"import { z } from '../../in-a-string.js'\";",
  ].join('\n');
  assert.deepEqual(importSpecifiers(source).sort(), ['../b.js', './a.js', './c.js', './e.js', './f.cjs', './side-effect.js', '@scope/d'].sort());
});

test('resolveRelative maps NodeNext .js specifiers to .ts files, and folders to their index', () => {
  const files = new Set(['/w/src/a.ts', '/w/src/b.mts', '/w/src/lib/index.ts', '/w/src/plain.mjs']);
  assert.equal(resolveRelative('/w/src/x.ts', './a.js', files), '/w/src/a.ts');
  assert.equal(resolveRelative('/w/src/sub/x.ts', '../b.mjs', files), '/w/src/b.mts');
  assert.equal(resolveRelative('/w/src/x.ts', './lib', files), '/w/src/lib/index.ts');
  assert.equal(resolveRelative('/w/src/x.ts', './plain.mjs', files), '/w/src/plain.mjs');
  assert.equal(resolveRelative('/w/src/x.ts', './missing.js', files), undefined);
});

test('importCycles: none in a DAG', () => {
  const graph = new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]]);
  assert.deepEqual(importCycles(graph), []);
});

test('importCycles reports a two-file cycle, a longer one and a self-import, each as a closed path', () => {
  const graph = new Map<string, string[]>([
    ['a', ['b']], ['b', ['a']],
    ['c', ['d']], ['d', ['e']], ['e', ['c', 'f']], ['f', []],
    ['g', ['g']],
  ]);
  assert.deepEqual(importCycles(graph), [['a', 'b', 'a'], ['c', 'd', 'e', 'c'], ['g', 'g']]);
});

test('importCycles finds the cycle among files that a DAG leads into', () => {
  const graph = new Map([['entry', ['x']], ['x', ['y']], ['y', ['z']], ['z', ['x']]]);
  assert.deepEqual(importCycles(graph), [['x', 'y', 'z', 'x']]);
});
