// Entry point: `source-cio-standard spec|check|discover|read`, and `collect` (the reporting-webhook receiver).
import { runSourceCli, type RunIo } from '@cio-dw/common';
import { collectCommand } from './receiver/command.js';
import { createSource, type SourceDeps } from './source.js';

export async function main(argv: string[], deps: SourceDeps = {}, io: RunIo = {}): Promise<number> {
  return runSourceCli(createSource(deps), argv, io, [collectCommand]);
}
