// The repository's dependency rules, checked by scripts/hygiene.test.ts:
//  1. what a production package ships (everything but test/, bench/, dist/) imports only node builtins,
//     itself and the packages its package.json declares as dependencies;
//  2. a package's production dependency tree (its `dependencies`, resolved through package-lock.json
//     like `npm ls --omit=dev -w <package>`) reaches no dev-only package.
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { importSpecifiers, isRelative } from './import-graph.js';
import { sourceFiles } from './import-rules.js';

export interface PackageJson {
  name?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}
export interface LockEntry extends PackageJson { link?: boolean; resolved?: string; dev?: boolean }
/** The part of package-lock.json (lockfileVersion 2 or 3) these rules read. */
export interface PackageLock { packages: Record<string, LockEntry> }

/** The package a bare specifier names: 'a/b' → 'a', '@s/a/b' → '@s/a'; undefined for node builtins. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const runtimeDependencies = (pkg: PackageJson): string[] =>
  [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];

/**
 * Names of every package reachable from the lock entry at `location` ('' is the root, 'common' a workspace)
 * through runtime dependencies, resolved the way Node does (nearest node_modules up the tree; links followed).
 */
export function productionClosure(lock: PackageLock, location: string): string[] {
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (loc: string): void => {
    if (seen.has(loc)) return;
    seen.add(loc);
    const entry = lock.packages[loc];
    if (!entry) return;
    if (entry.link && entry.resolved !== undefined) { visit(entry.resolved); return; }
    for (const dep of runtimeDependencies(entry)) {
      const found = resolveInLock(lock, loc, dep);
      if (found === undefined) continue;
      names.add(dep);
      visit(found);
    }
  };
  visit(location);
  return [...names].sort();
}

function resolveInLock(lock: PackageLock, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (dir === '') return undefined;
    const up = dir.lastIndexOf('/node_modules/');
    dir = up >= 0 ? dir.slice(0, up) : (dir.includes('/') ? posix.dirname(dir) : '');
  }
}

/** Packages of `closure` that are dev-only: an exact name, or a scope given as '@scope/'. */
export function devOnlyReached(closure: readonly string[], devOnly: readonly string[]): string[] {
  return closure.filter((n) => devOnly.some((d) => (d.endsWith('/') ? n.startsWith(d) : n === d)));
}

const NOT_SHIPPED = new Set(['test', 'bench', 'dist', 'node_modules']);

/**
 * Bare imports in what the workspace at root/folder ships (all its source files outside test/, bench/,
 * dist/) that are neither node builtins, the package itself, nor declared in its runtime dependencies
 * (for a development-only workspace, `devOnly`, its devDependencies count: its whole tree is dev).
 */
export function undeclaredImports(root: string, folder: string, opts: { devOnly?: boolean } = {}): string[] {
  const dir = join(root, folder);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson & { devDependencies?: Record<string, string> };
  const dev = opts.devOnly ? Object.keys(pkg.devDependencies ?? {}) : [];
  const declared = new Set([...runtimeDependencies(pkg), ...dev, ...(pkg.name ? [pkg.name] : [])]);
  const problems: string[] = [];
  for (const file of sourceFiles(dir)) {
    const rel = relative(dir, file).split(sep);
    if (NOT_SHIPPED.has(rel[0]!)) continue;
    for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (isRelative(specifier) || specifier.startsWith('/')) continue;
      const name = packageOf(specifier);
      if (name !== undefined && !declared.has(name)) {
        problems.push(`${folder}/${rel.join('/')} imports '${specifier}', but ${folder}/package.json does not declare ${name} in its ${opts.devOnly ? 'dependencies or devDependencies' : 'dependencies'}`);
      }
    }
  }
  return problems;
}
