// `check` and `read` agree on a missing local spool folder: the same message (check: FAILED; read: a config error).
import { stat } from 'node:fs/promises';
import type { AdvancedConfig } from './config.js';

/** The problem with a local spool folder that does not exist, or undefined. */
export async function missingSpool(config: AdvancedConfig): Promise<string | undefined> {
  if (config.spool.storage !== 'local') return undefined;
  const st = await stat(config.spool.path).catch(() => undefined);
  if (st?.isDirectory()) return undefined;
  return `spool: folder ${config.spool.path} does not exist; start the collector with the same spool path, or fix spool.path`;
}
