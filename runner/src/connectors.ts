// Resolves a connector name (one of ours) or a path to an executable into a command line.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { extname, resolve } from 'node:path';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const KNOWN_CONNECTORS = ['source-cio-standard', 'source-cio-advanced', 'destination-bucket'];

export interface Command { file: string; args: string[] }

export function resolveConnector(nameOrPath: string, cwd = process.cwd()): Command {
  if (KNOWN_CONNECTORS.includes(nameOrPath)) {
    return { file: process.execPath, args: [resolve(REPO, nameOrPath, 'bin', `${nameOrPath}.js`)] };
  }
  const path = resolve(cwd, nameOrPath);
  if (!existsSync(path)) {
    throw new Error(`connector "${nameOrPath}" is neither one of ${KNOWN_CONNECTORS.join(', ')} nor an existing file`);
  }
  return ['.js', '.mjs', '.cjs'].includes(extname(path)) ? { file: process.execPath, args: [path] } : { file: path, args: [] };
}
