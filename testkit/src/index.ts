// @cio-dw/testkit (development only): the acceptance harness (Airbyte CAT equivalent), protocol
// validation, the S3 test server, and the repository's import and dependency rules.
//
// A connector's acceptance test is one file, e.g. source-x/test/acceptance.test.ts:
//   import { fileURLToPath } from 'node:url';
//   import { registerAcceptanceTests } from '@cio-dw/testkit';
//   registerAcceptanceTests(fileURLToPath(new URL('..', import.meta.url)), {
//     prepareConfig: (c) => ({ ...c, base_url: simulatorUrl }),   // optional
//   });
// It reads <dir>/acceptance-test-config.yml (Airbyte's format), runs `node <dir>/bin/<dir name>.js …`
// as subprocesses and registers one node:test test per check. Destinations use
// registerDestinationAcceptanceTests(dir, { scenarios: [{ name, messages, catalog, config, readBack }] }).
// runSourceAcceptance / runDestinationAcceptance return the results instead (for expected failures).
export * from './protocol-validator.js';
export * from './run-connector.js';
export * from './acceptance-config.js';
export * from './metadata-schema.js';
export * from './schema-rules.js';
export * from './record-rules.js';
export * from './harness-context.js';
export * from './spec-checks.js';
export * from './discovery-checks.js';
export * from './read-checks.js';
export * from './incremental-checks.js';
export * from './output-checks.js';
export * from './source-acceptance.js';
export * from './destination-acceptance.js';
export * from './register.js';
export * from './s3-server.js';
export * from './import-graph.js';
export * from './import-rules.js';
export * from './dependency-rules.js';
export * from './staged-image/index.js';
export * from './fault-proxy.js';
export * from './azurite-server.js';

export * from './tcp-ports.js';
