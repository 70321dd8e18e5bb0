// `check` always answers with CONNECTION_STATUS, within its 10 s deadline, and says what to change:
// unreachable hosts (refused, hung, DNS), a wrong workspace_id, an api_url without the App API (404),
// server errors (one attempt, no retries). Every stdout line is a valid Airbyte message.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { assertValidProtocolOutput, refusedPort, silentServer } from '@cio-dw/testkit';
import type { Simulator } from '@cio-dw/cio-simulator';
import { main } from '../src/main.js';
import { configFor, startSim } from './helpers/sim-sync.js';

let sim: Simulator;
let dir: string;
before(async () => { sim = await startSim(); dir = mkdtempSync(join(tmpdir(), 'cio-check-')); });
after(async () => { await sim.close(); });

/** Runs `check` through the CLI; returns the CONNECTION_STATUS and the wall time it took. */
async function check(config: object): Promise<{ status: { status: string; message?: string }; ms: number; code: number }> {
  const path = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(config));
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const t0 = Date.now();
  const code = await main(['check', '--config', path], {}, { stdout: out });
  const ms = Date.now() - t0;
  const text = Buffer.concat(chunks).toString('utf8');
  assertValidProtocolOutput(text);
  const messages = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);
  assert.deepEqual(messages.filter((m) => m['type'] === 'TRACE'), [], 'no TRACE from check');
  const status = messages.find((m) => m['type'] === 'CONNECTION_STATUS')?.['connectionStatus'];
  assert.ok(status, 'check answered with CONNECTION_STATUS');
  return { status, ms, code };
}

test('refused connection: FAILED at once, names api_url and the firewall', async () => {
  const { status, ms, code } = await check({ ...configFor(sim), api_url: `http://127.0.0.1:${await refusedPort()}/v1` });
  assert.equal(code, 0);
  assert.equal(status.status, 'FAILED');
  assert.match(status.message!, /refused or the host is unreachable.*api_url/);
  assert.ok(ms < 15_000, `took ${ms} ms`);
});

test('a host that accepts but never answers: FAILED within the 10 s deadline (< 15 s)', async () => {
  const hung = await silentServer();
  try {
    const { status, ms } = await check({ ...configFor(sim), api_url: `http://127.0.0.1:${hung.port}/v1` });
    assert.equal(status.status, 'FAILED');
    assert.match(status.message!, /(did not answer|no answer) within 10 s/); // the source's deadline, or the runner's (same 10 s)
    assert.ok(ms < 15_000, `took ${ms} ms`);
    // The runner's own deadline (10 s from process start, at least 5 s for the check) may answer first.
    assert.ok(ms >= 4_500, `gave the host its time (${ms} ms)`);
  } finally {
    await hung.close();
  }
});

test('a host name that does not resolve: FAILED within 15 s', async () => {
  const { status, ms } = await check({ ...configFor(sim), api_url: 'http://cio-check-test.invalid/v1' });
  assert.equal(status.status, 'FAILED');
  assert.match(status.message!, /could not be resolved \(DNS\)|did not answer within 10 s/);
  assert.ok(ms < 15_000, `took ${ms} ms`);
});

test('wrong workspace_id: FAILED, naming the workspace the key lists (ids arrive as strings)', async () => {
  const { status } = await check({ ...configFor(sim), workspace_id: sim.workspaceId + 1 });
  assert.equal(status.status, 'FAILED');
  assert.match(status.message!, new RegExp(`workspace_id ${sim.workspaceId + 1} is not a workspace.*lists ${sim.workspaceId} "Simulated`));
  assert.equal((await check(configFor(sim))).status.status, 'SUCCEEDED', 'the right id (sent as a string) succeeds');
});

test('api_url answering 404: FAILED, saying the URL must end in /v1', async () => {
  const { status } = await check({ ...configFor(sim), api_url: sim.baseUrl.replace(/\/v1$/, '/api') });
  assert.equal(status.status, 'FAILED');
  assert.match(status.message!, /404.*must end in \/v1/);
});

test('server errors: one attempt, FAILED pointing at the status page', async () => {
  sim.resetStats();
  sim.control.setFaults([{ kind: 'status', status: 503, path: '/workspaces', count: 100 }]);
  try {
    const { status } = await check(configFor(sim));
    assert.equal(status.status, 'FAILED');
    assert.match(status.message!, /status\.customer\.io/);
    assert.equal(sim.stats().byEndpoint['GET /v1/workspaces']?.['503'], 1, 'no retries in check');
  } finally { sim.control.setFaults([]); }
});

test('401 (wrong region) and a bad key stay FAILED with the region hint, no secret in the message', async () => {
  const { status } = await check({ ...configFor(sim), app_api_key: 'wrong-key-xyz-123' });
  assert.equal(status.status, 'FAILED');
  assert.match(status.message!, /401.*try region EU/);
  assert.ok(!status.message!.includes('wrong-key-xyz-123'));
});
