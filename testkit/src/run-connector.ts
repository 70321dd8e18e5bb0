// Runs a connector CLI as a subprocess, the way Airbyte runs its image: `node <bin> <command> …`,
// optional stdin, captured stdout (every line parsed and validated against the protocol schema),
// stderr and exit code. Protocol violations are collected, never thrown, so checks can report them.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { AirbyteMessage } from '@cio-dw/common';
import { validateProtocolLine } from './protocol-validator.js';

/** How to start a connector: `node [...nodeArgs] <bin> <args>`, or `<...entrypoint> <args>`. */
export interface ConnectorCommand {
  /** Path of the CLI entry point (a built `bin/<name>.js`, or a .ts file with nodeArgs ['--import','tsx']). */
  bin: string;
  nodeArgs?: string[];
  /** When set, the connector is started as `entrypoint[0] ...entrypoint.slice(1) <args>` instead (e.g. an image's entrypoint). */
  entrypoint?: string[];
  /** Extra environment variables (merged over the harness's own environment). */
  env?: Record<string, string>;
  /** Start from an empty environment (only PATH and `env`), as a container does. */
  cleanEnv?: boolean;
  cwd?: string;
}

/** The executable, argv and environment a connector command runs with. */
export function commandLine(cmd: ConnectorCommand, args: string[], env: Record<string, string> = {}): { file: string; argv: string[]; env: NodeJS.ProcessEnv } {
  const base: NodeJS.ProcessEnv = cmd.cleanEnv ? { PATH: process.env.PATH ?? '/usr/bin:/bin' } : { ...process.env };
  const fullEnv = { ...base, NODE_NO_WARNINGS: '1', ...cmd.env, ...env };
  if (cmd.entrypoint?.length) return { file: cmd.entrypoint[0]!, argv: [...cmd.entrypoint.slice(1), ...args], env: fullEnv };
  return { file: process.execPath, argv: [...(cmd.nodeArgs ?? []), cmd.bin, ...args], env: fullEnv };
}

export interface RunOptions {
  /** Text, a file path ({ file }), or an async source of chunks fed to stdin; stdin is closed when done. */
  stdin?: string | { file: string } | AsyncIterable<string | Uint8Array>;
  timeoutMs?: number;
  env?: Record<string, string>;
}

export interface ProtocolViolation { line: number; excerpt: string; problems: string[] }

export interface ConnectorRun {
  args: string[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** Every stdout line that parsed as a JSON object, in order (valid or not). */
  messages: AirbyteMessage[];
  violations: ProtocolViolation[];
  durationMs: number;
}

export function runConnector(cmd: ConnectorCommand, args: string[], opts: RunOptions = {}): Promise<ConnectorRun> {
  const started = Date.now();
  const line = commandLine(cmd, args, opts.env);
  const child = spawn(line.file, line.argv, { cwd: cmd.cwd, env: line.env, stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  child.stdin.on('error', () => { /* the connector may exit before reading all input */ });
  feed(child.stdin, opts.stdin);
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, opts.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      resolve({
        args, exitCode: code, signal, timedOut, stdout, stderr: Buffer.concat(err).toString('utf8'),
        ...parseStdout(stdout), durationMs: Date.now() - started,
      });
    });
  });
}

function feed(stdin: NodeJS.WritableStream & { end(): void }, input: RunOptions['stdin']): void {
  if (input === undefined) { stdin.end(); return; }
  if (typeof input === 'string') { stdin.end(input); return; }
  const source: Readable | AsyncIterable<string | Uint8Array> = 'file' in input ? createReadStream(input.file) : input;
  void (async () => {
    try {
      for await (const chunk of source) {
        if (!stdin.write(chunk)) await new Promise((r) => stdin.once('drain', r));
      }
    } catch { /* reported through the connector's own output */ }
    stdin.end();
  })();
}

/** Splits stdout into lines; each must be one valid AirbyteMessage. */
export function parseStdout(stdout: string): { messages: AirbyteMessage[]; violations: ProtocolViolation[] } {
  const messages: AirbyteMessage[] = [];
  const violations: ProtocolViolation[] = [];
  const lines = stdout.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((text, i) => {
    const { message, problems } = validateProtocolLine(text);
    if (typeof message === 'object' && message !== null && !Array.isArray(message)) messages.push(message as AirbyteMessage);
    if (problems.length) violations.push({ line: i + 1, excerpt: text.length > 200 ? `${text.slice(0, 200)}…` : text, problems });
  });
  return { messages, violations };
}

/** Messages of one type, narrowed. Messages whose payload is missing are left out. */
export function ofType<T extends AirbyteMessage['type']>(messages: AirbyteMessage[], type: T): Extract<AirbyteMessage, { type: T }>[] {
  const key = { RECORD: 'record', STATE: 'state', LOG: 'log', SPEC: 'spec', CONNECTION_STATUS: 'connectionStatus', CATALOG: 'catalog', TRACE: 'trace' }[type];
  return messages.filter((m) => m.type === type && typeof (m as Record<string, unknown>)[key] === 'object' && (m as Record<string, unknown>)[key] !== null) as Extract<AirbyteMessage, { type: T }>[];
}
