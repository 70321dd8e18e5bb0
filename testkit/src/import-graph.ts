// Pure parts of the import rules: the module specifiers a source file imports, resolving a relative
// specifier to one of a known set of files, and the import cycles of a file graph.
import ts from 'typescript';
import { dirname, join, normalize } from 'node:path';

/**
 * Every module specifier `source` imports or re-exports: static imports (including `import type`),
 * `export … from`, dynamic `import()` and `require()`. Comments and strings are not mistaken for imports.
 */
export function importSpecifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

export const isRelative = (specifier: string): boolean => specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..';

const SWAPS: Array<[string, string]> = [['.js', '.ts'], ['.mjs', '.mts'], ['.cjs', '.cts'], ['.jsx', '.tsx']];

/**
 * The file of `files` that the relative `specifier` in `fromFile` names (NodeNext style: './x.js' may be
 * ./x.ts), or undefined when it names none of them.
 */
export function resolveRelative(fromFile: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  const base = normalize(join(dirname(fromFile), specifier));
  const candidates = [base];
  for (const [js, tsExt] of SWAPS) if (base.endsWith(js)) candidates.push(base.slice(0, -js.length) + tsExt);
  for (const ext of ['.ts', '.tsx', '.mts', '.js', '.mjs']) candidates.push(base + ext, join(base, `index${ext}`));
  return candidates.find((c) => files.has(c));
}

/**
 * The import cycles of a graph (file → files it imports): one cycle per strongly connected component
 * with more than one file, or a file importing itself, as a path that starts and ends at the same file.
 */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); component.push(w); } while (w !== v);
      components.push(component);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  const cycles: string[][] = [];
  for (const component of components) {
    const members = new Set(component);
    const start = [...component].sort()[0]!;
    if (component.length === 1 && !(graph.get(start) ?? []).includes(start)) continue;
    cycles.push(pathBack(graph, start, members));
  }
  return cycles.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
}

/** Shortest path start → … → start inside one strongly connected component (breadth first). */
function pathBack(graph: ReadonlyMap<string, readonly string[]>, start: string, members: ReadonlySet<string>): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i]!;
    for (const w of [...(graph.get(v) ?? [])].sort()) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u: string | undefined = v; u !== undefined && u !== start; u = parent.get(u)) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!parent.has(w)) { parent.set(w, v); queue.push(w); }
    }
  }
  return [start, start];
}
