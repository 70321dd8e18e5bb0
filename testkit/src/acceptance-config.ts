// Parses `acceptance-test-config.yml` in Airbyte's real format (connector_acceptance_test/config.py):
// every model forbids unknown keys, each section is {bypass_reason} or {tests: [...]}.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describeAjvErrors, newAjv } from '@cio-dw/common';

const str = { type: 'string' };
const bool = { type: 'boolean' };
const num = { type: 'number', minimum: 0 };
const obj = (properties: Record<string, unknown>, required: string[] = []) =>
  ({ type: 'object', additionalProperties: false, properties, required });
const bypass = obj({ bypass_reason: str }, ['bypass_reason']);
const section = (test: Record<string, unknown>) => ({
  oneOf: [bypass, obj({ tests: { type: 'array', items: test } }, ['tests'])],
});
const backCompat = obj({ previous_connector_version: str, disable_for_version: str });
const emptyStream = obj({ name: str, bypass_reason: str }, ['name']);

const configSchema = obj({
  connector_image: str,
  test_strictness_level: { enum: ['low', 'high'] },
  base_path: str,
  custom_environment_variables: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
  cache_discovered_catalog: bool,
  connector_build_options: { type: 'object' },
  acceptance_tests: obj({
    spec: section(obj({
      spec_path: str, config_path: str, timeout_seconds: num, deployment_mode: { enum: ['cloud', 'oss'] },
      backward_compatibility_tests_config: backCompat,
      auth_default_method: obj({ oauth: bool, bypass_reason: str }),
    })),
    connection: section(obj({ config_path: str, status: { enum: ['succeed', 'failed', 'exception'] }, timeout_seconds: num, deployment_mode: { enum: ['cloud', 'oss'] } }, ['status'])),
    discovery: section(obj({ config_path: str, timeout_seconds: num, backward_compatibility_tests_config: backCompat, validate_primary_keys_data_type: bool, deployment_mode: { enum: ['cloud', 'oss'] } })),
    basic_read: section(obj({
      config_path: str, deployment_mode: { enum: ['cloud', 'oss'] }, configured_catalog_path: str,
      empty_streams: { type: 'array', items: emptyStream },
      ignored_fields: { type: 'object', additionalProperties: { type: 'array', items: emptyStream } },
      expect_records: { oneOf: [bypass, obj({ path: str, exact_order: bool, bypass_reason: str }, ['path'])] },
      file_types: { type: 'object' }, validate_schema: bool, validate_stream_statuses: bool,
      validate_state_messages: bool, validate_primary_keys_data_type: bool, fail_on_extra_columns: bool,
      validate_data_points: bool, expect_trace_message_on_failure: bool, timeout_seconds: num,
      client_container_config: { type: 'object' },
    })),
    full_refresh: section(obj({
      config_path: str, deployment_mode: { enum: ['cloud', 'oss'] }, configured_catalog_path: str, timeout_seconds: num,
      ignored_fields: { type: 'object', additionalProperties: { type: 'array', items: emptyStream } },
      client_container_config: { type: 'object' },
    })),
    incremental: section(obj({
      config_path: str, deployment_mode: { enum: ['cloud', 'oss'] }, configured_catalog_path: str, timeout_seconds: num,
      future_state: obj({
        future_state_path: str, bypass_reason: str, cursor_format: { type: 'object' },
        missing_streams: { type: 'array', items: emptyStream },
      }),
      skip_comprehensive_incremental_tests: bool, client_container_config: { type: 'object' },
    })),
    connector_attributes: section(obj({ config_path: str, streams_without_primary_key: { type: 'array' }, allowed_hosts: { type: 'object' }, suggested_streams: { type: 'object' } })),
    connector_documentation: section(obj({ config_path: str, timeout_seconds: num })),
  }),
}, ['connector_image', 'acceptance_tests']);

export interface SpecTest { spec_path?: string; config_path?: string; timeout_seconds?: number }
export interface ConnectionTest { config_path?: string; status: 'succeed' | 'failed' | 'exception'; timeout_seconds?: number }
export interface DiscoveryTest { config_path?: string; timeout_seconds?: number; validate_primary_keys_data_type?: boolean }
export interface EmptyStream { name: string; bypass_reason?: string }
export interface BasicReadTest {
  config_path?: string; configured_catalog_path?: string; empty_streams?: EmptyStream[];
  expect_records?: { path?: string; exact_order?: boolean; bypass_reason?: string };
  ignored_fields?: Record<string, EmptyStream[]>;
  validate_schema?: boolean; validate_stream_statuses?: boolean; validate_state_messages?: boolean;
  validate_primary_keys_data_type?: boolean; fail_on_extra_columns?: boolean; validate_data_points?: boolean;
  expect_trace_message_on_failure?: boolean; timeout_seconds?: number;
}
export interface FullRefreshTest { config_path?: string; configured_catalog_path?: string; timeout_seconds?: number }
export interface IncrementalTest {
  config_path?: string; configured_catalog_path?: string; timeout_seconds?: number;
  future_state?: { future_state_path?: string; bypass_reason?: string; missing_streams?: EmptyStream[] };
  skip_comprehensive_incremental_tests?: boolean;
}
export type Section<T> = { bypass_reason: string } | { tests: T[] };
export interface AcceptanceTestConfig {
  connector_image: string;
  test_strictness_level?: 'low' | 'high';
  base_path?: string;
  custom_environment_variables?: Record<string, string | number | boolean>;
  acceptance_tests: {
    spec?: Section<SpecTest>; connection?: Section<ConnectionTest>; discovery?: Section<DiscoveryTest>;
    basic_read?: Section<BasicReadTest>; full_refresh?: Section<FullRefreshTest>; incremental?: Section<IncrementalTest>;
    connector_attributes?: Section<Record<string, unknown>>; connector_documentation?: Section<Record<string, unknown>>;
  };
}

export const DEFAULT_CONFIG_PATH = 'secrets/config.json';
export const DEFAULT_SPEC_PATH = 'secrets/spec.json';
export const DEFAULT_CATALOG_PATH = 'integration_tests/configured_catalog.json';

export function parseAcceptanceConfig(text: string, where = 'acceptance-test-config.yml'): AcceptanceTestConfig {
  let raw: unknown;
  try {
    // YAML 1.1 like PyYAML, which CAT uses: `exact_order: no` is a boolean there.
    raw = parseYaml(text, { version: '1.1' });
  } catch (e) {
    throw new Error(`${where} is not valid YAML: ${(e as Error).message}`);
  }
  if (raw && typeof raw === 'object' && 'tests' in raw) {
    throw new Error(`${where} uses the legacy format (top-level "tests:"); move the sections under "acceptance_tests:" with "tests:" lists`);
  }
  const validate = newAjv().compile(configSchema);
  if (!validate(raw)) throw new Error(`${where} is not a valid acceptance test config: ${describeAjvErrors(validate.errors, 'config')}`);
  return raw as unknown as AcceptanceTestConfig;
}

export function loadAcceptanceConfig(path: string): AcceptanceTestConfig {
  return parseAcceptanceConfig(readFileSync(path, 'utf8'), path);
}

export function sectionTests<T>(s: Section<T> | undefined): T[] {
  return s && 'tests' in s ? s.tests : [];
}
