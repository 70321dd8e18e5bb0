// @cio-dw/common/testing: the acceptance harness (Airbyte CAT equivalent) and protocol validation.
export * from './protocol-validator.js';
export * from './run-connector.js';
export * from './acceptance-config.js';
export * from './metadata-schema.js';
export * from './schema-rules.js';
export * from './harness-context.js';
export * from './spec-checks.js';
export * from './discovery-checks.js';
export * from './read-checks.js';
export * from './incremental-checks.js';
export * from './output-checks.js';
export * from './source-acceptance.js';
export * from './destination-acceptance.js';
export * from './register.js';
