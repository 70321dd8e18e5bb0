// Airbyte acceptance tests (acceptance-test-config.yml, configs as committed) against the staged
// image: the tree source-cio-standard/Dockerfile builds, run as its user (uid 1000) from
// /airbyte/integration_code with its AIRBYTE_ENTRYPOINT, under the image's Node version. The
// configs are CAT's secrets/config.json and secrets/invalid_config.json, written for the simulator
// this test starts (testkit/src/staged-image/standard-secrets.ts, the same tool a user runs by hand).
import { after, before } from 'node:test';
import { registerAcceptanceTests, registerImageContentChecks, stagedAcceptance, standardSecrets } from '@cio-dw/testkit';
import { startSimulator, type Simulator } from '@cio-dw/cio-simulator';

export const SIM_OPTIONS = { size: 'tiny', seed: 7, rateLimit: { perSecond: 10 } } as const;
const staged = stagedAcceptance('source-cio-standard');
let sim: Simulator | undefined;
before(async () => {
  sim = await startSimulator(SIM_OPTIONS);
  staged.prepare(standardSecrets(sim));
});
after(async () => { await sim?.close(); staged.dispose(); });

registerImageContentChecks(staged);
registerAcceptanceTests(staged.catDir, staged.options);
