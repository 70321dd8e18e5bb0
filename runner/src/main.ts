// cio-sync: runs a source into a destination without Airbyte, once or on an interval.
import { resolve } from 'node:path';
import yargs from 'yargs';
import { loadConnection } from './connection.js';
import { resolveConnector } from './connectors.js';
import { parseDuration } from './duration.js';
import { acquireLock } from './lock.js';
import { createProgress } from './progress.js';
import { runSync } from './sync.js';

export interface MainIo { stderr?: NodeJS.WritableStream & { isTTY?: boolean }; env?: NodeJS.ProcessEnv; signal?: AbortSignal }

export async function main(argv: string[], io: MainIo = {}): Promise<number> {
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  let args;
  try {
    args = await yargs(argv)
      .scriptName('cio-sync')
      .usage('$0 --connection conn.json [--every 15m]\n\nRuns the source\'s read into the destination\'s write, as Airbyte does, and keeps the echoed states in the state file.')
      .option('connection', { type: 'string', demandOption: true, describe: 'connection file (JSON)' })
      .option('every', { type: 'string', describe: 'repeat on this interval, e.g. 15m (standard feed) or 10m (advanced feed)' })
      .option('times', { type: 'number', describe: 'with --every: stop after this many syncs' })
      .option('state', { type: 'string', describe: 'state file (overrides the connection file)' })
      .strict().exitProcess(false).fail((msg, err) => { throw err ?? new Error(msg); })
      .parseAsync();
  } catch (e) {
    stderr.write(`cio-sync: ${(e as Error).message}\n`);
    return 2;
  }
  let connection;
  try {
    connection = await loadConnection(args.connection, env);
  } catch (e) {
    stderr.write(`cio-sync: ${(e as Error).message}\n`);
    return 2;
  }
  const statePath = args.state ? resolve(args.state) : connection.statePath;
  const abort = new AbortController();
  let release: () => Promise<void>;
  try {
    release = await acquireLock(`${statePath}.lock`, {
      onLost: (why) => { stderr.write(`cio-sync: ${why}; stopping\n`); abort.abort(); },
    });
  } catch (e) {
    stderr.write(`cio-sync: ${(e as Error).message}\n`);
    return 3;
  }
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  io.signal?.addEventListener('abort', stop, { once: true });
  const every = args.every ? parseDuration(args.every) : undefined;
  let code = 0;
  try {
    for (let run = 1; ; run++) {
      const started = Date.now();
      const progress = createProgress(stderr as never, Date.now);
      const result = await runSync({
        source: resolveConnector(connection.source.connector, connection.baseDir),
        sourceConfig: connection.source.config,
        destination: resolveConnector(connection.destination.connector, connection.baseDir),
        destinationConfig: connection.destination.config,
        ...(connection.streams ? { streams: connection.streams } : {}),
        statePath, env, progress, signal: abort.signal,
      });
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      progress.finish(result.ok
        ? `sync ${run} done in ${secs}s: ${result.records} records, ${result.statesSaved} states saved to ${statePath}`
        : `sync ${run} FAILED after ${secs}s (${result.records} records, ${result.statesSaved} states saved): ${result.errors.join('; ')}`);
      code = result.ok ? 0 : 1;
      if (!every || abort.signal.aborted || (args.times !== undefined && run >= args.times)) break;
      const wait = Math.max(0, started + every - Date.now());
      stderr.write(`cio-sync: next sync in ${(wait / 1000).toFixed(0)}s\n`);
      await new Promise<void>((r) => { const t = setTimeout(r, wait); abort.signal.addEventListener('abort', () => { clearTimeout(t); r(); }, { once: true }); });
      if (abort.signal.aborted) break;
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await release();
  }
  return code;
}
