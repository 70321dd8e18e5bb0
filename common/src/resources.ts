// Loads a connector's JSON resources (spec.json, schemas) relative to its package.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function loadJson<T = unknown>(base: string | URL, relPath: string): T {
  return JSON.parse(readFileSync(new URL(relPath, base), 'utf8')) as T;
}
export function listJson(base: string | URL, relDir: string): string[] {
  return readdirSync(fileURLToPath(new URL(relDir, base))).filter((f) => f.endsWith('.json')).sort();
}
