import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/clock.js';
import type { Destination, Sink } from '../../src/destination/contracts.js';
import { writeDestination } from '../../src/destination/write-loop.js';
import { memoryLogger } from '../../src/logger.js';
import { MemoryEmitter } from '../../src/protocol/emitter.js';
import type { AirbyteRecordMessage, ConfiguredAirbyteCatalog } from '../../src/protocol/types.js';
import { assertValidProtocolOutput } from '@cio-dw/testkit';

/** Buffers records; makes them durable every `batch` records per stream or on flush. */
class TestSink implements Sink {
  buffers = new Map<string, AirbyteRecordMessage[]>();
  durable = new Map<string, AirbyteRecordMessage[]>();
  listeners: (() => void)[] = [];
  events: string[] = [];
  constructor(private batch: number) {}
  async write(key: string, _s: unknown, r: AirbyteRecordMessage) {
    const b = this.buffers.get(key) ?? []; b.push(r); this.buffers.set(key, b);
    if (b.length >= this.batch) await this.flush([key]);
  }
  async flush(keys?: string[]) {
    for (const k of keys ?? [...this.buffers.keys()]) {
      const b = this.buffers.get(k) ?? [];
      if (!b.length) continue;
      this.durable.set(k, [...(this.durable.get(k) ?? []), ...b]); this.buffers.set(k, []);
      this.events.push(`flush ${k} ${b.length}`);
    }
    this.listeners.forEach((l) => l());
  }
  durableCount(k: string) { return this.durable.get(k)?.length ?? 0; }
  onDurable(l: () => void) { this.listeners.push(l); }
  completed: string[] | undefined;
  async close(o: { completedStreams: ReadonlySet<string> }) { this.completed = [...o.completedStreams].sort(); this.events.push('close'); }
  async abort() { this.events.push('abort'); }
}
const catalog: ConfiguredAirbyteCatalog = { streams: ['a', 'b'].map((name) => ({ stream: { name, json_schema: {}, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'append' })) };
const dest = (sink: TestSink): Destination<unknown> => ({ spec: { connectionSpecification: {} }, check: async () => ({ ok: true }), open: async () => sink });
const rec = (stream: string, i: number) => JSON.stringify({ type: 'RECORD', record: { stream, data: { i }, emitted_at: 1 } });
const st = (stream: string, v: number) => JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: stream }, stream_state: { v } }, sourceStats: { recordCount: 1 } } });
async function* input(lines: string[]) { yield lines.join('\n') + '\n'; }
const run = (sink: TestSink, lines: string[], emitter = new MemoryEmitter()) =>
  writeDestination(dest(sink), {}, catalog, input(lines), { emitter, logger: memoryLogger(), clock: new ManualClock() })
    .finally(() => assertValidProtocolOutput(emitter.messages)).then(() => emitter);

test('interleaved streams: each state echoed only after its records are durable, with destinationStats', async () => {
  const sink = new TestSink(100);
  const e = new MemoryEmitter();
  const order: string[] = [];
  const origEmit = e.emit.bind(e);
  e.emit = async (m) => { order.push(m.type === 'STATE' ? `state ${m.state.stream?.stream_descriptor.name} durable=${sink.durableCount(m.state.stream!.stream_descriptor.name)}` : m.type); return origEmit(m); };
  await run(sink, [rec('a', 1), rec('b', 1), st('a', 1), rec('a', 2), rec('b', 2), st('b', 2), st('a', 2)], e);
  const states = e.messages.filter((m) => m.type === 'STATE').map((m) => m.type === 'STATE' ? [m.state.stream?.stream_descriptor.name, (m.state.stream?.stream_state as { v: number }).v, m.state.destinationStats?.recordCount] : []);
  assert.deepEqual(states, [['a', 1, 1], ['b', 2, 2], ['a', 2, 1]]);
  // every state was emitted when all records of its stream up to it were durable
  assert.deepEqual(order, ['state a durable=2', 'state b durable=2', 'state a durable=2']);
  assert.equal(sink.durableCount('a'), 2);
});

test('states wait for a size-driven flush and are echoed as soon as it happens', async () => {
  const sink = new TestSink(2);
  const e = await run(sink, [rec('a', 1), st('a', 1), rec('a', 2), rec('a', 3), st('a', 3)]);
  assert.deepEqual(sink.events, ['flush a 2', 'flush a 1', 'close']);
  assert.equal(e.messages.filter((m) => m.type === 'STATE').length, 2);
});

test('invalid JSON fails naming the line number (not its content); buffered records are saved and earlier states echoed', async () => {
  const sink = new TestSink(100);
  const e = new MemoryEmitter();
  await assert.rejects(run(sink, [rec('a', 1), st('a', 1), rec('a', 2), '{"type":"RECORD", secret-ish garbage'], e), (err: Error) => {
    assert.match(err.message, /input line 4 is not valid JSON/);
    assert.doesNotMatch(err.message, /garbage/);
    return true;
  });
  assert.equal(sink.durableCount('a'), 2);
  assert.equal(e.messages.filter((m) => m.type === 'STATE').length, 1);
});

test('a message whose type does not match its payload is rejected', async () => {
  await assert.rejects(run(new TestSink(10), [JSON.stringify({ type: 'RECORD', state: {} })]), /line 1 is a RECORD without a valid "record"/);
});

test('records for streams outside the catalog are skipped with a warning', async () => {
  const sink = new TestSink(10);
  await run(sink, [rec('zzz', 1), rec('a', 1)]);
  assert.equal(sink.durableCount('a'), 1);
  assert.equal(sink.durableCount('zzz'), 0);
});

test('oversize records keep their row with the largest field nulled and the change recorded', async () => {
  const sink = new TestSink(10);
  const big = JSON.stringify({ type: 'RECORD', record: { stream: 'a', data: { id: 1, blob: 'x'.repeat(5000) }, emitted_at: 1 } });
  await writeDestination(dest(sink), {}, catalog, input([big]), { emitter: new MemoryEmitter(), logger: memoryLogger(), clock: new ManualClock(), maxRecordBytes: 1000 });
  const r = sink.durable.get('a')![0]!;
  assert.deepEqual(r.data, { id: 1, blob: null });
  assert.deepEqual(r.meta?.changes, [{ field: 'blob', change: 'NULLED', reason: 'DESTINATION_RECORD_SIZE_LIMITATION' }]);
});

test('a failing sink is aborted and no state past the durable point is echoed', async () => {
  const sink = new TestSink(100);
  sink.flush = async () => { throw new Error('disk full'); };
  const e = new MemoryEmitter();
  await assert.rejects(run(sink, [rec('a', 1), st('a', 1)], e), /disk full/);
  assert.equal(e.messages.filter((m) => m.type === 'STATE').length, 0);
  assert.ok(sink.events.includes('abort'));
});

const status = (stream: string, s: string) => JSON.stringify({ type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: { stream_descriptor: { name: stream }, status: s } } });

test('only streams the source reported COMPLETE are closed as complete', async () => {
  const sink = new TestSink(10);
  await run(sink, [status('a', 'STARTED'), rec('a', 1), status('a', 'COMPLETE'), status('b', 'STARTED'), rec('b', 1), status('b', 'INCOMPLETE')]);
  assert.deepEqual(sink.completed, ['a']);
});

test('a source without stream statuses counts as complete at a clean end; bad input completes nothing', async () => {
  const sink = new TestSink(10);
  await run(sink, [rec('a', 1), rec('b', 1)]);
  assert.deepEqual(sink.completed, ['a', 'b']);
  const failing = new TestSink(10);
  await assert.rejects(run(failing, [status('a', 'COMPLETE'), rec('a', 1), 'not json']));
  assert.deepEqual(failing.completed, []);
  assert.equal(failing.durableCount('a'), 1);
});
