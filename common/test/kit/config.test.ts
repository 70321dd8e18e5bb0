import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/parse.js';
import { makeRedactor, secretValues } from '../../src/config/secrets.js';
import { ConfigError } from '../../src/errors.js';

const spec = {
  type: 'object',
  required: ['api_key'],
  properties: {
    api_key: { type: 'string', airbyte_secret: true },
    region: { type: 'string', enum: ['US', 'EU'], default: 'US' },
    enabled: { type: 'boolean', default: true },
    lookback_days: { type: 'integer', default: 7, minimum: 0 },
    nested: { type: 'object', properties: { token: { type: 'string', airbyte_secret: true } } },
  },
};

test('defaults are applied but explicit false and 0 are kept', () => {
  const c = parseConfig<Record<string, unknown>>(spec, { api_key: 'k-123', enabled: false, lookback_days: 0 });
  assert.equal(c.region, 'US');
  assert.equal(c.enabled, false);
  assert.equal(c.lookback_days, 0);
  assert.ok(Object.isFrozen(c));
});

test('defaults fill missing fields', () => {
  const c = parseConfig<Record<string, unknown>>(spec, { api_key: 'k-123' });
  assert.deepEqual({ ...c }, { api_key: 'k-123', region: 'US', enabled: true, lookback_days: 7 });
});

test('invalid config names the field and never the value', () => {
  assert.throws(() => parseConfig(spec, { api_key: 'super-secret-value', region: 'APAC' }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /config\.region must be one of "US", "EU"/);
    assert.doesNotMatch(e.message, /super-secret-value|APAC/);
    return true;
  });
  assert.throws(() => parseConfig(spec, {}), /missing required field "api_key"/);
  assert.throws(() => parseConfig(spec, []), /must be a JSON object/);
});

test('secret values are found in nested objects and redacted, also JSON-escaped', () => {
  const config = { api_key: 'abc"def', nested: { token: 'tok-999' }, region: 'US' };
  const secrets = secretValues(spec, config);
  assert.deepEqual(secrets.sort(), ['abc"def', 'tok-999']);
  const redact = makeRedactor(secrets);
  assert.equal(redact('key=abc"def and tok-999'), 'key=********** and **********');
  assert.equal(redact(JSON.stringify({ m: 'abc"def' })), '{"m":"**********"}');
  assert.equal(redact('nothing here: US'), 'nothing here: US');
});
