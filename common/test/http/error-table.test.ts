import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultErrorTable, extendErrorTable, failureTypeOf, resolveOutcome } from '../../src/http/error-table.js';

const summary = (s: number) => {
  const r = resolveOutcome(defaultErrorTable, { status: s });
  return r.action === 'success' ? 'success' : `${r.action}/${failureTypeOf(r)}`;
};

test('default table classifies statuses', () => {
  const cases: [number, string][] = [
    [200, 'success'], [204, 'success'], [299, 'success'],
    [301, 'fail/system_error'],
    [400, 'fail/system_error'], [401, 'fail/config_error'], [402, 'fail/config_error'], [403, 'fail/config_error'],
    [404, 'fail/system_error'], [408, 'retry/transient_error'], [409, 'fail/system_error'], [422, 'fail/system_error'],
    [429, 'rate_limited/transient_error'],
    [500, 'retry/transient_error'], [501, 'fail/system_error'], [502, 'retry/transient_error'], [503, 'retry/transient_error'],
    [504, 'retry/transient_error'], [599, 'retry/transient_error'],
    [100, 'fail/system_error'], [600, 'fail/system_error'],
  ];
  for (const [status, want] of cases) assert.equal(summary(status), want, `status ${status}`);
});

test('default table classifies network errors', () => {
  const net = (code: 'timeout' | 'connection_reset' | 'connection_refused' | 'dns' | 'tls' | 'other') => {
    const r = resolveOutcome(defaultErrorTable, { network: code });
    return `${r.action}/${failureTypeOf(r)}`;
  };
  assert.equal(net('timeout'), 'retry/transient_error');
  assert.equal(net('connection_reset'), 'retry/transient_error');
  assert.equal(net('connection_refused'), 'retry/transient_error');
  assert.equal(net('dns'), 'retry/transient_error');
  assert.equal(net('other'), 'retry/transient_error');
  assert.equal(net('tls'), 'fail/config_error');
});

test('a connector extends the table; exact keys beat classes, the base is untouched', () => {
  const table = extendErrorTable(defaultErrorTable, {
    401: { action: 'fail', failureType: 'config_error', message: 'the App API key was rejected; check it, and try region EU/US.' },
    '4xx': { action: 'fail', failureType: 'config_error' },
    'network:timeout': { action: 'fail', failureType: 'transient_error', message: 'too slow' },
  });
  assert.match(resolveOutcome(table, { status: 401 }).message ?? '', /region EU\/US/);
  assert.equal(resolveOutcome(table, { status: 418 }).failureType, 'config_error');
  assert.equal(resolveOutcome(table, { status: 404 }).failureType, 'system_error', 'exact 404 still wins over 4xx');
  assert.equal(resolveOutcome(table, { network: 'timeout' }).action, 'fail');
  assert.equal(resolveOutcome(table, { network: 'connection_reset' }).action, 'retry');
  assert.doesNotMatch(resolveOutcome(defaultErrorTable, { status: 401 }).message ?? '', /region/);
  assert.ok(Object.isFrozen(table));
});

test('a table can turn a 2xx into something else and falls back to default', () => {
  const t = { 202: { action: 'retry' as const }, default: { action: 'ignore' as const } };
  assert.equal(resolveOutcome(t, { status: 202 }).action, 'retry');
  assert.equal(failureTypeOf(resolveOutcome(t, { status: 202 })), 'transient_error');
  assert.equal(resolveOutcome(t, { status: 200 }).action, 'success');
  assert.equal(resolveOutcome(t, { status: 500 }).action, 'ignore');
  assert.equal(resolveOutcome(t, { network: 'dns' }).action, 'ignore');
  assert.equal(resolveOutcome({}, { status: 500 }).action, 'fail');
});
