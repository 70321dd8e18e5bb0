// Spawns a connector process and yields its stdout as parsed protocol lines.
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { splitLines } from '@cio-dw/common';
import type { Command } from './connectors.js';

export type Child = ChildProcessByStdio<Writable, Readable, Readable>;

export function startConnector(cmd: Command, args: string[], env: NodeJS.ProcessEnv): Child {
  return spawn(cmd.file, [...cmd.args, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
}

export function exitCode(child: Child): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) { resolve(child.exitCode); return; }
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
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
export async function runToCompletion(cmd: Command, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; lines: string[]; stderr: string[] }> {
  const child = startConnector(cmd, args, env);
  child.stdin.end();
  const stderr = tailStderr(child);
  const lines: string[] = [];
  for await (const l of splitLines(child.stdout)) lines.push(l.text);
  return { code: await exitCode(child), lines, stderr };
}
