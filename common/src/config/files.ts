// Reads the JSON files the CLI is given; every failure is a config_error naming the file.
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';

export async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable (permission denied)' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? 'error'})`;
    throw new ConfigError(`${what} file ${path} ${why}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${what} file ${path} is not valid JSON: ${(e as Error).message}`);
  }
}
