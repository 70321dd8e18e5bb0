// Unit tests of the harness's pure parts: protocol validation, the acceptance config parser, the
// schema rules, checkpoint selection, expected echoes and metadata validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AirbyteMessage, AirbyteRecordMessage, AirbyteStateMessage, ConfiguredAirbyteCatalog } from '@cio-dw/common';
import {
  additionalPropertiesProblems, assertValidProtocolOutput, enumProblems, expectedEchoes, expectedRecordProblems, keywordProblems,
  oneOfProblems, parseAcceptanceConfig, parseStdout, recordsDiffer, secretMarkingProblems, selectCheckpoints,
  SPEC_FORBIDDEN_KEYWORDS, stateInput, typeArrayProblems, validateAirbyteMessage, validateConfiguredCatalog, validateMetadata,
} from '../../src/index.js';

test('protocol validator: valid messages pass; schema errors, missing payloads and mismatched types fail', () => {
  assert.deepEqual(validateAirbyteMessage({ type: 'RECORD', record: { stream: 's', data: {}, emitted_at: 1 } }), []);
  assert.deepEqual(validateAirbyteMessage({ type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: { stream_descriptor: { name: 's' }, status: 'COMPLETE' } } }), []);
  assert.match(validateAirbyteMessage({ type: 'RECORD', record: { stream: 's', data: {} } }).join(), /emitted_at/);
  assert.match(validateAirbyteMessage({ type: 'RECORD' }).join(), /no "record" object/);
  assert.match(validateAirbyteMessage({ type: 'LOG', log: { level: 'INFO', message: 'x' }, state: {} }).join(), /carries the "state" payload of STATE/);
  assert.match(validateAirbyteMessage({ type: 'TRACE', trace: { type: 'ERROR', emitted_at: 1 } }).join(), /trace\.error/);
  assert.match(validateAirbyteMessage({ type: 'TRACE', trace: { type: 'ESTIMATE', emitted_at: 1 } }).join(), /trace\.estimate/);
  assert.match(validateAirbyteMessage({ type: 'NOPE' }).join(), /must be one of/);
  assert.match(validateConfiguredCatalog({ streams: [{ stream: { name: 'a', json_schema: {}, supported_sync_modes: ['full_refresh'] }, sync_mode: 'INVALID', destination_sync_mode: 'append' }] }).join(), /sync_mode/);
  const parsed = parseStdout('{"type":"LOG","log":{"level":"INFO","message":"hi"}}\nnot json\n{"type":"SPEC"}\n');
  assert.equal(parsed.messages.length, 2);
  assert.deepEqual(parsed.violations.map((v) => v.line), [2, 3]);
  assert.throws(() => assertValidProtocolOutput([{ type: 'STATE' }]), /message 1: type STATE but no "state" object/);
  assert.doesNotThrow(() => assertValidProtocolOutput('{"type":"LOG","log":{"level":"INFO","message":"hi"}}\n'));
});

test('acceptance config: the real format parses (YAML 1.1 booleans); unknown keys and mixed sections are rejected', () => {
  const ok = parseAcceptanceConfig(`connector_image: x:dev
acceptance_tests:
  basic_read:
    tests:
      - config_path: c.json
        expect_records: { path: e.jsonl, exact_order: no }
  incremental: { bypass_reason: none yet }
`);
  const br = ok.acceptance_tests.basic_read;
  assert.ok(br && 'tests' in br);
  assert.equal(br.tests[0]?.expect_records?.exact_order, false);
  assert.throws(() => parseAcceptanceConfig('connector_image: x\nacceptance_tests: {}\nextra: 1\n'), /unknown field "extra"/);
  assert.throws(() => parseAcceptanceConfig('connector_image: x\nacceptance_tests:\n  spec:\n    tests:\n      - spec_pth: a\n'), /not a valid acceptance test config/);
  assert.throws(() => parseAcceptanceConfig('connector_image: x\nacceptance_tests:\n  spec: { bypass_reason: r, tests: [] }\n'), /not a valid acceptance test config/);
  assert.throws(() => parseAcceptanceConfig('acceptance_tests: {}\n'), /connector_image/);
  assert.throws(() => parseAcceptanceConfig('connector_image: x\ntests: {}\n'), /legacy format/);
});

test('schema rules: secrets, forbidden keywords (not property names), additionalProperties, type arrays, enums, oneOf', () => {
  const spec = {
    type: 'object', additionalProperties: true,
    properties: {
      password: { type: 'string' }, token: { type: 'string', airbyte_secret: true }, not: { type: 'string' },
      key: { type: 'string', const: 'fixed' }, flag: { type: 'boolean', airbyte_secret: true },
    },
  };
  assert.deepEqual(secretMarkingProblems(spec), [
    '#/properties/password looks like a secret; mark it "airbyte_secret": true',
    '#/properties/flag is marked airbyte_secret but its type cannot hold a secret',
  ]);
  assert.deepEqual(keywordProblems(spec, SPEC_FORBIDDEN_KEYWORDS), []);
  assert.deepEqual(keywordProblems({ type: 'object', properties: { a: { anyOf: [{ type: 'string' }] } } }, SPEC_FORBIDDEN_KEYWORDS), ['#/properties/a uses forbidden keyword "anyOf"']);
  assert.deepEqual(additionalPropertiesProblems({ type: 'object', properties: { a: { type: 'object', additionalProperties: false } } }), ['#/properties/a has additionalProperties false; it must be true']);
  assert.equal(typeArrayProblems({ type: ['string', 'null'] }).length, 0);
  assert.equal(typeArrayProblems({ type: ['string', 'integer'] }).length, 1);
  assert.equal(enumProblems({ enum: ['a', 'b', 'a'] }).length, 1);
  const variant = (t: string) => ({ type: 'object', properties: { mode: { const: t, default: t }, x: { type: 'string' } } });
  assert.deepEqual(oneOfProblems({ type: 'object', oneOf: [variant('a'), variant('b')] }), []);
  assert.equal(oneOfProblems({ oneOf: [variant('a')] }).length, 1);
  assert.equal(oneOfProblems({ type: 'object', oneOf: [variant('a'), { type: 'object', properties: { x: { type: 'string' } } }] }).length, 1);
});

const st = (v: number, count: number): AirbyteStateMessage => ({ type: 'STREAM', stream: { stream_descriptor: { name: 's' }, stream_state: { v } }, sourceStats: { recordCount: count } });

test('checkpoint selection follows CAT: collapse duplicates, drop zero counts, skip first and last, remaining counts', () => {
  const picks = selectCheckpoints([st(1, 3), st(2, 3), st(3, 3), st(3, 0), st(4, 1)]);
  assert.deepEqual(picks.map((p) => [(p.state.stream?.stream_state as { v: number }).v, p.expectedRemaining]), [[2, 4], [3, 1]]);
  assert.deepEqual(selectCheckpoints([st(1, 2), st(2, 1)]).map((p) => p.expectedRemaining), [0]);
  assert.deepEqual(selectCheckpoints([st(1, 0)]), []);
  assert.deepEqual(stateInput([st(1, 1), st(2, 1)]), [{ type: 'STREAM', stream: st(2, 1).stream }]);
});

test('records differ as multisets of data, order ignored', () => {
  const r = (id: number): AirbyteRecordMessage => ({ stream: 's', data: { id, b: 1 }, emitted_at: id });
  assert.equal(recordsDiffer([r(1), r(2)], [{ ...r(2), data: { b: 1, id: 2 } }, r(1)]), false);
  assert.equal(recordsDiffer([r(1), r(2)], [r(1)]), true);
  assert.equal(recordsDiffer([r(1), r(1)], [r(1), r(2)]), true);
});

const catalog: ConfiguredAirbyteCatalog = {
  streams: ['a', 'b'].map((name) => ({ stream: { name, json_schema: {}, supported_sync_modes: ['full_refresh'], source_defined_primary_key: [['id']] }, sync_mode: 'full_refresh', destination_sync_mode: 'append' })),
};

test('expected records: by primary key, extras allowed, differences and missing ones reported', () => {
  const actual = [1, 2, 3].map((id) => ({ stream: 'a', data: { id, x: id * 10 }, emitted_at: 0 }));
  assert.deepEqual(expectedRecordProblems(catalog, actual, [{ stream: 'a', data: { id: 2, x: 20 } }], {}), []);
  assert.match(expectedRecordProblems(catalog, actual, [{ stream: 'a', data: { id: 2, x: 21 } }], {}).join(), /record \[2\] differs/);
  assert.match(expectedRecordProblems(catalog, actual, [{ stream: 'a', data: { id: 9, x: 90 } }], {}).join(), /no record with primary key \[9\]/);
  assert.deepEqual(expectedRecordProblems(catalog, actual, [{ stream: 'a', data: { id: 2, x: 21 } }], { ignored_fields: { a: [{ name: 'x', bypass_reason: 'volatile' }] } }), []);
  assert.match(expectedRecordProblems(catalog, actual, [{ stream: 'a', data: { id: 3, x: 30 } }, { stream: 'a', data: { id: 1, x: 10 } }], { expect_records: { exact_order: true } }).join(), /out of order/);
});

test('expected echoes: covered records per stream and destinationStats counts since the previous state', () => {
  const rec = (s: string): AirbyteMessage => ({ type: 'RECORD', record: { stream: s, data: {}, emitted_at: 0 } });
  const state = (s: string): AirbyteMessage => ({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: s } } } });
  const e = expectedEchoes([rec('a'), rec('b'), rec('a'), state('a'), rec('b'), state('b'), rec('zzz'), state('a')], catalog);
  assert.deepEqual(e.map((x) => [x.covered, x.recordCount]), [[{ a: 2 }, 2], [{ b: 2 }, 2], [{ a: 2 }, 0]]);
});

test('metadata validation rejects unknown fields and bad formats', () => {
  const data = {
    name: 'X', definitionId: '6f1c2a8e-3b7d-4e59-9a41-0d2c7b5e8f13', connectorType: 'source', dockerRepository: 'cio-dw/source-x',
    dockerImageTag: '0.1.0', license: 'MIT', documentationUrl: 'https://example.com', githubIssueLabel: 'source-x',
    connectorSubtype: 'api', releaseStage: 'alpha',
  };
  assert.deepEqual(validateMetadata({ metadataSpecVersion: '1.0', data }), []);
  assert.match(validateMetadata({ metadataSpecVersion: '1.0', data: { ...data, extra: 1 } }).join(), /unknown field "extra"/);
  assert.match(validateMetadata({ metadataSpecVersion: '1.0', data: { ...data, definitionId: 'nope' } }).join(), /uuid/);
  assert.match(validateMetadata({ metadataSpecVersion: '1.0', data: { ...data, connectorType: 'sink' } }).join(), /must be one of/);
});
