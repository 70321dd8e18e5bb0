// Runs a connection (a source into destination-bucket) with the standalone runner's runSync, exactly
// as `cio-sync --connection` does: the connectors run as child processes, echoed states go to the
// connection's state file and are fed to the next run.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createProgress, runSync } from '@cio-dw/runner';
import { REPO } from './paths.js';

export interface Connection {
  name: string;
  source: 'source-cio-standard' | 'source-cio-advanced';
  sourceConfig: Record<string, unknown>;
  destinationConfig: Record<string, unknown>;
  streams?: string[];
  statePath: string;
}

export interface SyncOutcome { name: string; records: number; perStream: Record<string, number>; statesSaved: number; seconds: number; log: string }

const command = (name: string) => ({ file: process.execPath, args: [join(REPO, name, 'bin', `${name}.js`)] });

/** A Parquet bucket destination writing into a local folder. */
export function bucketConfig(path: string): Record<string, unknown> {
  return { store: { store_type: 'local', path }, format: { format_type: 'parquet', compression: 'zstd' } };
}

/** Also writes the connection as a cio-sync connection file beside its state file (for reruns by hand). */
export async function writeConnectionFile(c: Connection, path: string): Promise<void> {
  await writeFile(path, JSON.stringify({
    source: { connector: c.source, config: c.sourceConfig },
    destination: { connector: 'destination-bucket', config: c.destinationConfig },
    ...(c.streams ? { streams: c.streams } : {}),
    state_file: c.statePath,
  }, null, 2), { mode: 0o600 });
}

export async function syncConnection(c: Connection): Promise<SyncOutcome> {
  let log = '';
  const sink = new Writable({ write(chunk: Buffer, _enc, cb) { log += chunk.toString(); cb(); } });
  const progress = createProgress(sink, Date.now);
  const started = Date.now();
  const result = await runSync({
    source: command(c.source),
    sourceConfig: c.sourceConfig,
    destination: command('destination-bucket'),
    destinationConfig: c.destinationConfig,
    ...(c.streams ? { streams: c.streams } : {}),
    statePath: c.statePath,
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
    progress,
  });
  progress.finish(`${c.name}: ${result.records} records`);
  if (!result.ok) throw new Error(`demo: sync of ${c.name} failed: ${result.errors.join('; ')}\n${log}`);
  const perStream: Record<string, number> = {};
  for (const [name, s] of progress.tracker.streams) perStream[name] = s.records;
  return { name: c.name, records: result.records, perStream, statesSaved: result.statesSaved, seconds: (Date.now() - started) / 1000, log };
}
