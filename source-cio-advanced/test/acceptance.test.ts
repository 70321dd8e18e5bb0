// Airbyte acceptance tests (acceptance-test-config.yml, configs as committed) against the staged
// image: the tree source-cio-advanced/Dockerfile builds, run as its user (uid 1000) from
// /airbyte/integration_code with its AIRBYTE_ENTRYPOINT, under the image's Node version.
import { after, before } from 'node:test';
import { registerAcceptanceTests, registerImageContentChecks, stagedAcceptance } from '@cio-dw/testkit';

const staged = stagedAcceptance('source-cio-advanced');
before(() => { staged.prepare(); });
after(() => staged.dispose());
registerImageContentChecks(staged);
registerAcceptanceTests(staged.catDir, staged.options);
