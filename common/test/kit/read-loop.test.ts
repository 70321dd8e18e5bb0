import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/clock.js';
import { ConfigError, TransientError } from '../../src/errors.js';
import { memoryLogger } from '../../src/logger.js';
import { MemoryEmitter } from '../../src/protocol/emitter.js';
import type { ConfiguredAirbyteCatalog } from '../../src/protocol/types.js';
import type { Source, SourceStream } from '../../src/source/contracts.js';
import { readSource, StreamsFailedError } from '../../src/source/read-loop.js';
import { assertValidProtocolOutput } from '@cio-dw/testkit';
import { afterEach } from 'node:test';

// Every message these tests produce must validate against the official protocol schema.
const emitted: MemoryEmitter[] = [];
afterEach(() => { for (const e of emitted.splice(0)) assertValidProtocolOutput(e.messages); });

function numbers(name: string, n: number, opts: { failAt?: number; error?: Error } = {}): SourceStream<unknown, { last: number }> {
  return {
    name, jsonSchema: { type: 'object', properties: { i: { type: 'integer' } } }, primaryKey: [['i']], cursorField: ['i'],
    syncModes: ['full_refresh', 'incremental'],
    async *read({ state }) {
      for (let i = (state?.last ?? 0) + 1; i <= n; i++) {
        if (i === opts.failAt) throw opts.error ?? new TransientError('boom');
        yield { kind: 'record', data: { i } };
        if (i % 2 === 0) yield { kind: 'state', state: { last: i } };
      }
      yield { kind: 'state', state: { last: n } };
    },
  };
}
const source = (streams: SourceStream<unknown, any>[]): Source<unknown> => ({
  spec: { connectionSpecification: { type: 'object' } }, check: async () => ({ ok: true }), streams: () => streams,
});
const catalog = (...names: string[]): ConfiguredAirbyteCatalog => ({
  streams: names.map((name) => ({ stream: { name, json_schema: {}, supported_sync_modes: ['incremental'] }, sync_mode: 'incremental', destination_sync_mode: 'append' })),
});
const opts = (emitter: MemoryEmitter) => (emitted.push(emitter), { emitter, logger: memoryLogger(), clock: new ManualClock(1000) });

test('records, per-stream states with recordCount and stream statuses in order', async () => {
  const e = new MemoryEmitter();
  await readSource(source([numbers('a', 5)]), {}, catalog('a'), new Map(), opts(e));
  const kinds = e.messages.map((m) => m.type === 'TRACE' ? `${m.trace.stream_status?.status}` : m.type === 'STATE' ? `S${(m.state.stream?.stream_state as { last: number }).last}/${m.state.sourceStats?.recordCount}` : m.type);
  assert.deepEqual(kinds, ['STARTED', 'RUNNING', 'RECORD', 'RECORD', 'S2/2', 'RECORD', 'RECORD', 'S4/2', 'RECORD', 'S5/1', 'COMPLETE']);
});

test('incremental read starts from the given state; an empty stream still emits one state', async () => {
  const e = new MemoryEmitter();
  await readSource(source([numbers('a', 5)]), {}, catalog('a'), new Map([['a', { last: 5 }]]), opts(e));
  assert.equal(e.messages.filter((m) => m.type === 'RECORD').length, 0);
  const states = e.messages.filter((m) => m.type === 'STATE');
  assert.equal(states.length, 1);
  assert.deepEqual(states[0]?.type === 'STATE' && states[0].state.sourceStats, { recordCount: 0 });
});

test('a failing stream gets INCOMPLETE and one TRACE error; other streams still run', async () => {
  const e = new MemoryEmitter();
  await assert.rejects(readSource(source([numbers('a', 5, { failAt: 3 }), numbers('b', 2)]), {}, catalog('a', 'b'), new Map(), opts(e)), StreamsFailedError);
  const traces = e.messages.filter((m) => m.type === 'TRACE');
  const statuses = traces.filter((m) => m.type === 'TRACE' && m.trace.type === 'STREAM_STATUS').map((m) => m.type === 'TRACE' ? `${m.trace.stream_status?.stream_descriptor.name}:${m.trace.stream_status?.status}` : '');
  assert.deepEqual(statuses, ['a:STARTED', 'a:RUNNING', 'a:INCOMPLETE', 'b:STARTED', 'b:RUNNING', 'b:COMPLETE']);
  const errors = traces.filter((m) => m.type === 'TRACE' && m.trace.type === 'ERROR');
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.type === 'TRACE' && errors[0].trace.error?.failure_type, 'transient_error');
});

test('a config error stops the whole read', async () => {
  const e = new MemoryEmitter();
  await assert.rejects(readSource(source([numbers('a', 5, { failAt: 1, error: new ConfigError('bad key') }), numbers('b', 2)]), {}, catalog('a', 'b'), new Map(), opts(e)));
  assert.ok(!e.messages.some((m) => m.type === 'RECORD' && m.record.stream === 'b'));
});

test('unknown streams and unsupported sync modes are config errors', async () => {
  await assert.rejects(readSource(source([numbers('a', 1)]), {}, catalog('nope'), new Map(), opts(new MemoryEmitter())), (e: unknown) => e instanceof ConfigError && /unknown stream "nope"/.test(e.message));
  const fr = numbers('a', 1); (fr as { syncModes: string[] }).syncModes = ['full_refresh'];
  await assert.rejects(readSource(source([fr]), {}, catalog('a'), new Map(), opts(new MemoryEmitter())), /does not support sync_mode "incremental"/);
});
