// The write scenario for the example destination: a fresh folder per run, read back by counting lines.
import type { WriteScenario } from '../../src/index.js';
import { countStored } from '../fixtures/example-destination/destination.js';

export function exampleWriteScenario(freshFolder: () => string, settleMs?: number): WriteScenario {
  return {
    ...(settleMs ? { settleMs } : {}),
    name: 'interleaved two streams',
    messages: 'integration_tests/messages.jsonl',
    catalog: 'integration_tests/configured_catalog.json',
    config: () => ({ folder: freshFolder(), batch_size: 2, password: 'pw-example-71c2' }),
    readBack: (config) => countStored(String(config.folder)),
  };
}
