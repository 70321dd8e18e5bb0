// CLI entry: spec/check/discover/read (Airbyte protocol) plus `collect` (the collector service).
import { runSourceCli } from '@cio-dw/common';
import { collectCommand } from './collector/command.js';
import { createSource } from './source.js';
import type { SourceDeps } from './source.js';

export function main(argv: string[], deps: SourceDeps = {}): Promise<number> {
  return runSourceCli(createSource(deps), argv, {}, [collectCommand]);
}
