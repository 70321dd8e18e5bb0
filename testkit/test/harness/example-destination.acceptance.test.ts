// The destination acceptance suite against the example destination: every check must pass.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { registerDestinationAcceptanceTests } from '../../src/index.js';
import { exampleWriteScenario } from './example-destination-scenario.js';

const folders: string[] = [];
after(() => { for (const f of folders) rmSync(f, { recursive: true, force: true }); });

registerDestinationAcceptanceTests(fileURLToPath(new URL('../fixtures/example-destination/', import.meta.url)), {
  bin: 'bin/example-destination.ts', nodeArgs: ['--import', 'tsx'],
  scenarios: [exampleWriteScenario(() => { const f = mkdtempSync(join(tmpdir(), 'example-dest-')); folders.push(f); return f; })],
});
