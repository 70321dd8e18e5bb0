// Runs the source's CLI in-process (as the image runs it), capturing stdout lines and checking each
// against the Airbyte protocol schema.
import { PassThrough } from 'node:stream';
import { runSourceCli } from '@cio-dw/common';
import { validateProtocolLine } from '@cio-dw/testkit';
import { collectCommand } from '../../src/collector/command.js';
import { createSource } from '../../src/source.js';

export interface CliRun { code: number; lines: string[]; messages: any[]; problems: string[] }

export async function cli(argv: string[]): Promise<CliRun> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const code = await runSourceCli(createSource(), argv, { stdout: out }, [collectCommand]);
  const lines = Buffer.concat(chunks).toString().split('\n').filter(Boolean);
  const problems = lines.flatMap((l, i) => validateProtocolLine(l).problems.map((p) => `line ${i + 1}: ${p}`));
  const messages = lines.map((l) => { try { return JSON.parse(l); } catch { return { unparsable: l.slice(0, 80) }; } });
  return { code, lines, messages, problems };
}
