// The repository's import rules, checked by scripts/hygiene.test.ts:
//  1. a relative import never leaves its workspace: other workspaces are imported by package name,
//     through their `exports`;
//  2. no import cycle inside a workspace (type-only imports count: they tie the files together too).
// The units checked are the root package.json's workspaces plus the root `scripts/` folder.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { importCycles, importSpecifiers, isRelative, resolveRelative } from './import-graph.js';

export interface ImportProblem {
  rule: 'leaves-workspace' | 'cycle';
  /** The unit (workspace folder, or 'scripts') the problem is in. */
  unit: string;
  /** Repository-relative path of the importing file (for a cycle: its first file). */
  file: string;
  message: string;
}

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const SKIP = new Set(['node_modules', 'dist', '.git']);

/** Source files under `dir` (recursively), skipping node_modules, dist and declaration files. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (path: string): void => {
    for (const name of readdirSync(path).sort()) {
      const p = join(path, name);
      if (statSync(p).isDirectory()) { if (!SKIP.has(name)) walk(p); }
      else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The folders the rules apply to: the root package.json's workspaces, and `scripts` when present. */
export function importUnits(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces?: string[] };
  const units = [...(pkg.workspaces ?? [])];
  if (existsSync(join(root, 'scripts')) && !units.includes('scripts')) units.push('scripts');
  return units;
}

/** Problems of one unit: relative imports that leave `root/unit`, and import cycles among its files. */
export function checkUnitImports(root: string, unit: string): ImportProblem[] {
  const dir = resolve(root, unit);
  const files = sourceFiles(dir);
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  const problems: ImportProblem[] = [];
  const rel = (p: string) => relative(root, p).split(sep).join('/');
  for (const file of files) {
    const edges: string[] = [];
    for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (!isRelative(specifier)) continue;
      const target = resolve(file, '..', specifier);
      if (target !== dir && !target.startsWith(dir + sep)) {
        problems.push({
          rule: 'leaves-workspace', unit, file: rel(file),
          message: `${rel(file)} imports '${specifier}', which leaves ${unit}/: import the other workspace by its package name (through its exports) instead`,
        });
        continue;
      }
      const hit = resolveRelative(file, specifier, known);
      if (hit !== undefined) edges.push(hit);
    }
    graph.set(file, edges);
  }
  for (const cycle of importCycles(graph)) {
    problems.push({
      rule: 'cycle', unit, file: rel(cycle[0]!),
      message: `import cycle in ${unit}/: ${cycle.map((f) => relative(dir, f).split(sep).join('/')).join(' → ')}; move what both sides share to one side or to a small module both import`,
    });
  }
  return problems;
}

/** Problems of every unit of the repository at `root`. */
export function checkImports(root: string): ImportProblem[] {
  return importUnits(root).flatMap((unit) => checkUnitImports(root, unit));
}
