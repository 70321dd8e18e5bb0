// The full acceptance suite against the example source: every check must pass.
import { fileURLToPath } from 'node:url';
import { registerAcceptanceTests } from '../../src/index.js';

registerAcceptanceTests(fileURLToPath(new URL('../fixtures/example-source/', import.meta.url)), {
  bin: 'bin/example-source.ts', nodeArgs: ['--import', 'tsx'],
});
