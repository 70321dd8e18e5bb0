// The CLI as Airbyte runs it: spec, check (right key, wrong region, wrong key), discover.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Simulator } from '@cio-dw/cio-simulator';
import { main } from '../src/main.js';
import { schemaOf } from '../src/streams/stream-kit.js';
import { configFor, startSim } from './helpers/sim-sync.js';

let sim: Simulator;
let dir: string;
before(async () => { sim = await startSim(); dir = mkdtempSync(join(tmpdir(), 'cio-std-')); });
after(async () => { await sim.close(); });

async function run(argv: string[]): Promise<{ code: number; messages: Record<string, any>[] }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const code = await main(argv, {}, { stdout: out });
  const messages = Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);
  return { code, messages };
}
function configFile(name: string, c: object): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(c));
  return p;
}

test('spec: secret key, region US/EU default US, requests_per_second max 10', async () => {
  const { code, messages } = await run(['spec']);
  assert.equal(code, 0);
  const props = messages[0]!['spec'].connectionSpecification.properties;
  assert.equal(props.app_api_key.airbyte_secret, true);
  assert.deepEqual(props.region.enum, ['US', 'EU']);
  assert.equal(props.region.default, 'US');
  assert.equal(props.requests_per_second.maximum, 10);
  assert.equal(props.requests_per_second.default, 10);
});

test('check succeeds with the right key and region', async () => {
  const c = configFor(sim);
  const { code, messages } = await run(['check', '--config', configFile('ok.json', { ...c, api_url: sim.usUrl })]);
  assert.equal(code, 0);
  assert.deepEqual(messages.find((m) => m['type'] === 'CONNECTION_STATUS')!['connectionStatus'], { status: 'SUCCEEDED' });
  assert.equal(sim.stats().byEndpoint['GET /v1/workspaces']?.['200'], 1);
});

test('check against the wrong region fails with "try region EU" and no secret in the output', async () => {
  const c = configFor(sim);
  const { code, messages } = await run(['check', '--config', configFile('eu.json', { ...c, region: 'US', api_url: sim.euUrl })]);
  assert.equal(code, 0);
  const status = messages.find((m) => m['type'] === 'CONNECTION_STATUS')!['connectionStatus'];
  assert.equal(status.status, 'FAILED');
  assert.match(status.message, /401/);
  assert.match(status.message, /try region EU/);
  assert.ok(!JSON.stringify(messages).includes(sim.apiKey));
});

test('check with a bad key fails as a config problem', async () => {
  const { messages } = await run(['check', '--config', configFile('bad.json', { ...configFor(sim), app_api_key: 'wrong-key-xyz' })]);
  assert.equal(messages.find((m) => m['type'] === 'CONNECTION_STATUS')!['connectionStatus'].status, 'FAILED');
});

test('discover: 12 streams, each primary key and cursor exists in its schema', async () => {
  const { code, messages } = await run(['discover', '--config', configFile('d.json', configFor(sim))]);
  assert.equal(code, 0);
  const streams = messages.find((m) => m['type'] === 'CATALOG')!['catalog'].streams as Record<string, any>[];
  assert.equal(streams.length, 12);
  for (const s of streams) {
    const props = schemaOf(s['name']).properties as Record<string, unknown>;
    for (const pk of s['source_defined_primary_key'] as string[][]) assert.ok(pk[0]! in props, `${s['name']} pk ${pk[0]}`);
    for (const f of s['default_cursor_field'] as string[]) assert.ok(f in props, `${s['name']} cursor ${f}`);
    assert.deepEqual(s['supported_sync_modes'], ['full_refresh', 'incremental']);
  }
});

test('read emits records and per-stream STATE with sourceStats', async () => {
  const catalog = { streams: [{ stream: { name: 'campaigns', json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'] }, sync_mode: 'incremental', destination_sync_mode: 'append' }] };
  const { code, messages } = await run(['read', '--config', configFile('r.json', configFor(sim)), '--catalog', configFile('cat.json', catalog)]);
  assert.equal(code, 0);
  const records = messages.filter((m) => m['type'] === 'RECORD');
  assert.equal(records.length, sim.truth.campaigns().length);
  const state = messages.filter((m) => m['type'] === 'STATE').at(-1)!;
  assert.equal(state['state'].sourceStats.recordCount, records.length);
  assert.ok(state['state'].stream.stream_state.updated_s > 0);
});
