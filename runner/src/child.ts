// Spawns a connector process and yields its stdout as parsed protocol lines.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { splitLines } from '@cio-dw/common';
import type { Command } from './connectors.js';

export type Child = ChildProcessByStdio<Writable, Readable, Readable>;
const osSignals = constants.signals as Record<string, number>;

/** `fds` are inherited as descriptors 3, 4, … (see fd-file.ts); the caller may close its copies after this. */
export function startConnector(cmd: Command, args: string[], env: NodeJS.ProcessEnv, fds: number[] = []): Child {
  const child = spawn(cmd.file, [...cmd.args, ...args], { stdio: ['pipe', 'pipe', 'pipe', ...fds], env }) as unknown as Child;
  // Listened to from the start, so a later wait can never miss it.
  closed.set(child, new Promise((resolve) => child.once('close', () => resolve())));
  return child;
}
const closed = new WeakMap<Child, Promise<void>>();

export function running(child: Child): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * The exit code (128 + n for a signal); settles also when the child has already exited (by a signal
 * or not). Waits up to 2 s more for its output to close, so its last stderr lines are in the report.
 */
export async function exitCode(child: Child): Promise<number> {
  const code = () => child.exitCode ?? (child.signalCode ? 128 + (osSignals[child.signalCode] ?? 0) : 1);
  if (running(child)) await new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closed.get(child), new Promise<void>((resolve) => { timer = setTimeout(resolve, 2000); })]);
  clearTimeout(timer);
  return code();
}

/** SIGTERM now, SIGKILL if it still runs after `graceMs`. */
export function stopChild(child: Child, graceMs = 5000): void {
  if (!running(child)) return;
  child.kill('SIGTERM');
  const t = setTimeout(() => { if (running(child)) child.kill('SIGKILL'); }, graceMs);
  t.unref();
  child.once('exit', () => clearTimeout(t));
}

/** Keeps the last lines a process wrote to stderr, for error reports. */
export function tailStderr(child: Child, keep = 20, onLine?: (line: string) => void): string[] {
  const lines: string[] = [];
  void (async () => {
    for await (const l of splitLines(child.stderr)) {
      onLine?.(l.text);
      lines.push(l.text);
      if (lines.length > keep) lines.shift();
    }
  })().catch(() => {});
  return lines;
}

/** Runs a command to completion and returns its stdout lines. */
export async function runToCompletion(cmd: Command, args: string[], env: NodeJS.ProcessEnv, fds: number[] = []): Promise<{ code: number; lines: string[]; stderr: string[] }> {
  const child = startConnector(cmd, args, env, fds);
  child.stdin.end();
  const stderr = tailStderr(child);
  const lines: string[] = [];
  for await (const l of splitLines(child.stdout)) lines.push(l.text);
  return { code: await exitCode(child), lines, stderr };
}
