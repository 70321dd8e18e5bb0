// Runs the destination's real CLI (`write`, child process under /usr/bin/time -v for peak RSS) on an input
// file of RECORD/STATE lines, for the destination benchmarks; counts the STATEs it echoes.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface WriteRun { seconds: number; peakRssMb: number; states: number }

export async function runWrite(label: string, configPath: string, catalogPath: string, input: string): Promise<WriteRun> {
  const t0 = performance.now();
  const child = spawn('/usr/bin/time', ['-v', process.execPath, join(root, 'destination-bucket/bin/destination-bucket.js'), 'write', '--config', configPath, '--catalog', catalogPath],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  createReadStream(input).pipe(child.stdin);
  let states = 0; let carry = ''; let stderr = '';
  child.stdout.on('data', (d: Buffer) => { const s = carry + d.toString(); const ls = s.split('\n'); carry = ls.pop() ?? ''; for (const l of ls) if (l.startsWith('{"type":"STATE"')) states++; });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const code = await new Promise<number>((res) => child.once('exit', (c) => res(c ?? 1)));
  const seconds = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`${label}: exit ${code}\n${stderr.slice(-2000)}`);
  const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? 0);
  return { seconds, peakRssMb: Math.round(rssKb / 1024), states };
}
