// Deliberately broken variants of the example connectors: the harness must reject each one, through
// the specific check that covers the broken rule (and not because of something else).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheckResult } from '../../src/index.js';
import { runDestinationAcceptance, runSourceAcceptance } from '../../src/index.js';
import { exampleWriteScenario } from './example-destination-scenario.js';

const sourceDir = fileURLToPath(new URL('../fixtures/example-source/', import.meta.url));
const destinationDir = fileURLToPath(new URL('../fixtures/example-destination/', import.meta.url));
const folders: string[] = [];
after(() => { for (const f of folders) rmSync(f, { recursive: true, force: true }); });

function byName(results: CheckResult[], prefix: string): CheckResult {
  const r = results.find((x) => x.name.startsWith(prefix));
  assert.ok(r, `no check named "${prefix}…" in ${results.map((x) => x.name).join(' | ')}`);
  return r;
}
const failed = (results: CheckResult[]) => results.filter((r) => !r.ok).map((r) => r.name);

const source = (broken: string, section: string) => runSourceAcceptance(sourceDir, {
  bin: 'bin/example-source.ts', nodeArgs: ['--import', 'tsx'],
  env: { EXAMPLE_SOURCE_BROKEN: broken }, only: (name) => name.startsWith(section),
});

test('a record that does not match its schema fails "records match their stream schemas"', async () => {
  const results = await source('schema', 'basic_read');
  const r = byName(results, 'basic_read: records match their stream schemas');
  assert.equal(r.ok, false);
  assert.match(r.reason ?? '', /\(users\) does not match its schema: data\.id must be integer/);
  assert.deepEqual(failed(results), ['basic_read: records match their stream schemas']);
});

test('a LEGACY state fails the state check', async () => {
  const results = await source('legacy-state', 'basic_read');
  const r = byName(results, 'basic_read: per-stream STATE messages');
  assert.equal(r.ok, false);
  assert.match(r.reason ?? '', /STATE 1 is a LEGACY state/);
  assert.deepEqual(failed(results), ['basic_read: per-stream STATE messages with sourceStats, none LEGACY']);
});

test('a secret printed to stderr fails the secret scan', async () => {
  const results = await source('secret-in-log', 'connection');
  const r = byName(results, 'output: no configured secret');
  assert.equal(r.ok, false);
  assert.match(r.reason ?? '', /`check --config \S+config\.json`: stderr line 1 contains a secret value from \S+config\.json/);
  assert.doesNotMatch(r.reason ?? '', /example-key-3f9a7c1e/, 'the report must not repeat the secret');
  assert.deepEqual(failed(results), ['output: no configured secret appears in any stdout or stderr']);
});

test('a message whose type does not match its payload fails the protocol check', async () => {
  const results = await source('type-mismatch', 'basic_read');
  const r = byName(results, 'output: every stdout line');
  assert.equal(r.ok, false);
  assert.match(r.reason ?? '', /type RECORD but no "record" object; type RECORD but carries the "state" payload of STATE/);
  assert.ok(!failed(results).includes('basic_read: read succeeds and emits at least one record'));
});

test('a destination that echoes a state before writing its records fails the durability check', async () => {
  const results = await runDestinationAcceptance(destinationDir, {
    bin: 'bin/example-destination.ts', nodeArgs: ['--import', 'tsx'],
    env: { EXAMPLE_DESTINATION_BROKEN: 'early-echo' }, only: (name) => name.startsWith('write'),
    // A long settle time: the harness must see each (early) echo while input is still paused, even on a
    // loaded machine; echoes arrive at once here, so it costs nothing.
    scenarios: [exampleWriteScenario(() => { const f = mkdtempSync(join(tmpdir(), 'example-dest-')); folders.push(f); return f; }, 3000)],
  });
  const r = byName(results, 'write[interleaved two streams]: every echoed state');
  assert.equal(r.ok, false);
  assert.match(r.reason ?? '', /state 1 \(users\) was echoed when 0 of its 2 record\(s\) were durable/);
  // Everything is written in the end, in order: only the timing of the echoes is wrong.
  assert.deepEqual(failed(results), ["write[interleaved two streams]: every echoed state's records were durable when it was echoed"]);
});

test('prepareConfig: the connector is given the prepared config, and its secrets are scanned too', async () => {
  const results = await runSourceAcceptance(sourceDir, {
    bin: 'bin/example-source.ts', nodeArgs: ['--import', 'tsx'],
    env: { EXAMPLE_SOURCE_BROKEN: 'secret-in-log' }, only: (name) => name.startsWith('connection[0]'),
    prepareConfig: (config) => ({ ...config, api_key: 'example-key-prepared-4242' }),
  });
  assert.equal(byName(results, 'connection[0]').ok, true);
  const r = byName(results, 'output: no configured secret');
  assert.equal(r.ok, false);
  assert.match(r.reason ?? '', /stderr line 1 contains a secret value from \S+config-config\.json/);
});
