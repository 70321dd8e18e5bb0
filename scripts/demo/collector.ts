// Starts the advanced feed's collector (`source-cio-advanced collect`) as a child process on
// 127.0.0.1 (port 0) and stops it with SIGTERM, the way an operator runs it.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO } from './paths.js';

export interface RunningCollector { url: string; writeKey: string; stop(): Promise<number | null> }

export interface CollectorOptions {
  /** Folder of the local spool (shared with the source). */
  spoolPath: string;
  /** Where the collector's config file is written. */
  configDir: string;
  writeKey?: string;
  /** A spool write slower than this is not acknowledged; must stay below the source's settle window. */
  maxWriteMs?: number;
}

export async function startCollector(o: CollectorOptions): Promise<RunningCollector> {
  const writeKey = o.writeKey ?? 'demo-write-key-0001';
  const configPath = join(o.configDir, 'collector.json');
  await writeFile(configPath, JSON.stringify({
    listen: { host: '127.0.0.1', port: 0 },
    write_keys: [writeKey],
    spool: { storage: 'local', path: o.spoolPath },
    collector_id: 'demo',
    max_write_ms: o.maxWriteMs ?? 500,
    retention_hours: 0,
    shutdown_timeout_ms: 2000,
  }), { mode: 0o600 });
  const bin = join(REPO, 'source-cio-advanced', 'bin', 'source-cio-advanced.js');
  const child = spawn(process.execPath, [bin, 'collect', '--config', configPath], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const output: string[] = [];
  child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start within 20 s:\n${output.join('')}`)), 20_000);
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`collector exited (${code}) before listening:\n${output.join('')}`)); });
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      const m = /listening on (http:\/\/[0-9.]+:\d+)/.exec(line);
      if (m?.[1]) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  return {
    url,
    writeKey,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
