// Airbyte acceptance tests (acceptance-test-config.yml) against the simulator, through the built CLI.
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { registerAcceptanceTests } from '@cio-dw/testkit';
import { startSimulator, type Simulator } from '@cio-dw/cio-simulator';

export const SIM_OPTIONS = { size: 'tiny', seed: 7, rateLimit: { perSecond: 10 } } as const;
let sim: Simulator | undefined;
before(async () => { sim = await startSimulator(SIM_OPTIONS); });
after(async () => { await sim?.close(); });

registerAcceptanceTests(fileURLToPath(new URL('..', import.meta.url)), {
  prepareConfig: (c, path) => {
    if (!sim) throw new Error('simulator not started');
    const wrongRegion = path.endsWith('invalid_config.json');
    const { _comment: _, ...rest } = c;
    return { ...rest, app_api_key: sim.apiKey, workspace_id: sim.workspaceId, api_url: wrongRegion ? sim.euUrl : sim.baseUrl };
  },
});
