// A connection file: which source and destination to run, their configs, streams and state file.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { expandEnv } from './env-expand.js';

export interface ConnectionFile {
  source: { connector: string; config: unknown };
  destination: { connector: string; config: unknown };
  streams?: string[];
  state_file?: string;
}

export interface Connection {
  source: { connector: string; config: unknown };
  destination: { connector: string; config: unknown };
  streams?: string[];
  statePath: string;
  baseDir: string;
}

/** Reads a connection file; configs may be inline objects or paths to JSON files; "${VAR}" expands from env. */
export async function loadConnection(path: string, env: NodeJS.ProcessEnv): Promise<Connection> {
  const baseDir = dirname(resolve(path));
  const raw = JSON.parse(await readFile(path, 'utf8')) as Partial<ConnectionFile>;
  if (!raw.source?.connector || !raw.destination?.connector) {
    throw new Error(`connection file ${path} needs "source": {"connector", "config"} and "destination": {"connector", "config"}`);
  }
  const config = async (v: unknown, where: string) => {
    const value = typeof v === 'string' ? JSON.parse(await readFile(resolve(baseDir, v), 'utf8')) : v;
    return expandEnv(value ?? {}, env, where);
  };
  return {
    source: { connector: raw.source.connector, config: await config(raw.source.config, 'source.config') },
    destination: { connector: raw.destination.connector, config: await config(raw.destination.config, 'destination.config') },
    ...(raw.streams ? { streams: raw.streams } : {}),
    statePath: resolve(baseDir, raw.state_file ?? `${path.replace(/\.json$/, '')}.state.json`),
    baseDir,
  };
}
