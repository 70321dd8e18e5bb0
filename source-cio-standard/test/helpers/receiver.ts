// Test helpers for the reporting-webhook receiver: temp spools, in-process and child-process receivers.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LocalFolderStore, silentLogger, systemClock, type Clock } from '@cio-dw/common';
import { parseReceiverConfig, type ReceiverConfig } from '../../src/receiver/config.js';
import { ReportingReceiver } from '../../src/receiver/server.js';
import type { WebhookSpoolConfig } from '../../src/config.js';

export const SIGNING_KEY = 'whsec_test_signing_key';
export const PATH = '/cio/reporting';

export async function tempDir(name: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `cio-std-${name}-`));
}

export function receiverConfig(spoolPath: string, extra: Record<string, unknown> = {}): ReceiverConfig {
  return parseReceiverConfig({
    listen: { host: '127.0.0.1', port: 0 }, signing_key: SIGNING_KEY, spool: { storage: 'local', path: spoolPath },
    retention_hours: 0, ...extra,
  }) as ReceiverConfig;
}

export interface RunningReceiver { url: string; receiver: ReportingReceiver; store: LocalFolderStore; close(): Promise<void> }

export async function startReceiver(spoolPath: string, o: { clock?: Clock; extra?: Record<string, unknown> } = {}): Promise<RunningReceiver> {
  const config = receiverConfig(spoolPath, o.extra);
  const store = new LocalFolderStore(spoolPath, { domain: 'spool' });
  const receiver = new ReportingReceiver({ config, store, clock: o.clock ?? systemClock, logger: silentLogger, writerId: 'test' });
  const { url } = await receiver.listen();
  return { url: `${url}${PATH}`, receiver, store, close: async () => { await receiver.close(); await store.close(); } };
}

export function webhookSpool(path: string, extra: Partial<WebhookSpoolConfig> = {}): WebhookSpoolConfig {
  return { spool: { storage: 'local', path }, settle_seconds: 1, memory_days: 30, ...extra };
}

const RUNNER = fileURLToPath(new URL('./run-cli.ts', import.meta.url));

export interface ChildReceiver { url: string; child: ChildProcess; exited: Promise<number | null> }

/** Starts `collect --config <file>` in a child process and waits for its "listening on" log. */
export async function spawnReceiver(config: Record<string, unknown>, dir: string): Promise<ChildReceiver> {
  const path = join(dir, 'receiver.json');
  await writeFile(path, JSON.stringify(config));
  const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, 'collect', '--config', path], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let out = '';
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    // Generous: startup takes tens of seconds at load 25+. A child that never listens is killed, so the file cannot hang.
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`receiver did not start: ${out}`)); }, 120_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      out += `${line}\n`;
      const m = /listening on (http:\/\/[0-9.]+:\d+\/[^", ]*)/.exec(line);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`receiver exited (${code}) before listening: ${out}`)); });
  });
  return { url, child, exited };
}
