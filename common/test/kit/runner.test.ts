// The CLI runner in-process: file errors, catalog errors, check semantics, redaction, exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runSourceCli } from '../../src/cli/runner.js';
import { ConfigError, TransientError } from '../../src/errors.js';
import type { AirbyteMessage } from '../../src/protocol/types.js';
import type { Source } from '../../src/source/contracts.js';
import { assertValidProtocolOutput } from '@cio-dw/testkit';

interface Cfg { api_key: string; mode?: string }
const source: Source<Cfg> = {
  spec: { connectionSpecification: { type: 'object', required: ['api_key'], properties: { api_key: { type: 'string', airbyte_secret: true }, mode: { type: 'string', default: 'ok' } } } },
  async check(c, ctx) {
    ctx.logger.info(`checking with key ${c.api_key}`);
    if (c.mode === 'network') throw new TransientError(`network down while using ${c.api_key}`);
    if (c.mode === 'crash') throw new Error(`bug while using ${c.api_key}`);
    if (c.mode === 'hang') return new Promise<never>(() => undefined);
    return c.api_key === 'good-key-123' ? { ok: true } : { ok: false, message: 'the API key was rejected' };
  },
  streams: () => [{
    name: 'items', jsonSchema: { type: 'object' }, primaryKey: [['id']], syncModes: ['full_refresh'],
    async *read({ config }) {
      if (config.mode === 'bad') throw new ConfigError(`cio: key ${config.api_key} has no access`);
      yield { kind: 'record', data: { id: 1 } };
    },
  }],
};

class Capture extends Writable {
  text = '';
  override _write(c: Buffer, _e: BufferEncoding, cb: () => void) { this.text += c.toString(); cb(); }
  get messages(): AirbyteMessage[] { return this.text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as AirbyteMessage); }
}
const dir = mkdtempSync(join(tmpdir(), 'runner-kit-'));
const file = (name: string, content: unknown) => { const p = join(dir, name); writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content)); return p; };
const catalog = (name: string, mode = 'full_refresh') => file(`cat-${name}-${mode}.json`, { streams: [{ stream: { name, json_schema: {}, supported_sync_modes: ['full_refresh'] }, sync_mode: mode, destination_sync_mode: 'append' }] });
async function run(argv: string[]) {
  const out = new Capture();
  const code = await runSourceCli(source, argv, { stdout: out });
  assertValidProtocolOutput(out.messages);
  return { code, messages: out.messages, text: out.text };
}
const traces = (m: AirbyteMessage[]) => m.flatMap((x) => x.type === 'TRACE' && x.trace.type === 'ERROR' ? [x.trace.error!] : []);

test('spec prints the spec', async () => {
  const r = await run(['spec']);
  assert.equal(r.code, 0);
  assert.deepEqual(r.messages, [{ type: 'SPEC', spec: source.spec }]);
});

test('check: good key SUCCEEDED, bad key FAILED with a message, invalid config FAILED, network error FAILED, bug is one TRACE', async () => {
  assert.equal((await run(['check', '--config', file('good.json', { api_key: 'good-key-123' })])).messages.at(-1)?.type, 'CONNECTION_STATUS');
  const bad = await run(['check', '--config', file('bad.json', { api_key: 'wrong-key-456' })]);
  assert.equal(bad.code, 0);
  assert.deepEqual(bad.messages.at(-1), { type: 'CONNECTION_STATUS', connectionStatus: { status: 'FAILED', message: 'the API key was rejected' } });
  assert.doesNotMatch(bad.text, /wrong-key-456/, 'the secret is redacted from the log line');
  assert.match(bad.text, /checking with key \*{10}/);
  const invalid = await run(['check', '--config', file('invalid.json', { nope: 1 })]);
  assert.equal(invalid.messages.at(-1)?.type === 'CONNECTION_STATUS' && invalid.messages.at(-1)?.type, 'CONNECTION_STATUS');
  assert.match(invalid.text, /missing required field \\"api_key\\"/);
  const network = await run(['check', '--config', file('network.json', { api_key: 'net-key-321', mode: 'network' })]);
  assert.equal(network.code, 0);
  assert.equal(traces(network.messages).length, 0);
  assert.deepEqual(network.messages.at(-1), { type: 'CONNECTION_STATUS', connectionStatus: { status: 'FAILED', message: 'network down while using **********' } });
  const crash = await run(['check', '--config', file('crash.json', { api_key: 'crash-key-789', mode: 'crash' })]);
  assert.equal(crash.code, 1);
  assert.equal(traces(crash.messages).length, 1);
  assert.equal(traces(crash.messages)[0]?.failure_type, 'system_error');
  assert.doesNotMatch(crash.text, /crash-key-789/);
});

test('check: no answer within the deadline is CONNECTION_STATUS FAILED saying what to look at', async () => {
  const out = new Capture();
  const started = Date.now();
  const code = await runSourceCli(source, ['check', '--config', file('hang.json', { api_key: 'hang-key-1', mode: 'hang' })], { stdout: out, checkDeadlineMs: 200 });
  assertValidProtocolOutput(out.messages);
  assert.equal(code, 0);
  const last = out.messages.at(-1);
  assert.equal(last?.type, 'CONNECTION_STATUS');
  assert.equal(last?.type === 'CONNECTION_STATUS' && last.connectionStatus.status, 'FAILED');
  assert.match(last?.type === 'CONNECTION_STATUS' ? last.connectionStatus.message ?? '' : '', /no answer within 0.2 s\. .*unreachable or too slow/);
  assert.ok(Date.now() - started < 30_000);
});

test('missing, unreadable and invalid JSON files are config errors naming the file', async () => {
  const missing = await run(['discover', '--config', join(dir, 'nope.json')]);
  assert.equal(missing.code, 1);
  assert.equal(traces(missing.messages)[0]?.failure_type, 'config_error');
  assert.match(traces(missing.messages)[0]!.message, /config file .*nope\.json does not exist/);
  const garbled = await run(['discover', '--config', file('garbled.json', '{"api_key": ')]);
  assert.match(traces(garbled.messages)[0]!.message, /config file .*garbled\.json is not valid JSON/);
  const cfg = file('ok.json', { api_key: 'good-key-123' });
  const badCatalog = await run(['read', '--config', cfg, '--catalog', file('cat-garbled.json', '[1,')]);
  assert.match(traces(badCatalog.messages)[0]!.message, /catalog file .*cat-garbled\.json is not valid JSON/);
  const badState = await run(['read', '--config', cfg, '--catalog', catalog('items'), '--state', file('state.json', { some: 'legacy blob' })]);
  assert.equal(traces(badState.messages)[0]?.failure_type, 'config_error');
  assert.match(traces(badState.messages)[0]!.message, /legacy state blob/);
});

test('unknown streams and invalid sync modes are one config_error TRACE', async () => {
  const cfg = file('ok2.json', { api_key: 'good-key-123' });
  const unknown = await run(['read', '--config', cfg, '--catalog', catalog('__AIRBYTE__stream_that_does_not_exist')]);
  assert.equal(unknown.code, 1);
  assert.deepEqual(traces(unknown.messages).map((t) => t.failure_type), ['config_error']);
  assert.match(traces(unknown.messages)[0]!.message, /unknown stream "__AIRBYTE__stream_that_does_not_exist"/);
  const invalidMode = await run(['read', '--config', cfg, '--catalog', catalog('items', 'INVALID')]);
  assert.match(traces(invalidMode.messages)[0]!.message, /invalid sync_mode "INVALID"/);
});

test('a stream error becomes INCOMPLETE plus exactly one TRACE, secrets redacted, exit 1', async () => {
  const r = await run(['read', '--config', file('badmode.json', { api_key: 'secret-abc-999', mode: 'bad' }), '--catalog', catalog('items')]);
  assert.equal(r.code, 1);
  assert.equal(traces(r.messages).length, 1);
  assert.match(traces(r.messages)[0]!.message, /items: cio: key \*{10} has no access/);
  assert.doesNotMatch(r.text, /secret-abc-999/);
});

test('unknown commands and flags are usage errors', async () => {
  const r = await run(['frobnicate']);
  assert.equal(r.code, 1);
  assert.equal(traces(r.messages)[0]?.failure_type, 'config_error');
});
