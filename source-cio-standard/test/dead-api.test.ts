// A dead or hung App API fails the whole read once, within ~5 minutes, with one TRACE: the circuit
// breaker is shared by every stream, so the remaining streams do not each spend their retry budget.
// The timing clock is a ManualClock (backoff sleeps advance it instantly), so "minutes" are the
// connector's own schedule with the default backoff and retry budgets, measured without waiting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, MemoryEmitter, NetworkError, ServiceDownError, createResponse, fetchTransport, memoryLogger, readSource, type HttpRequest, type HttpTransport } from '@cio-dw/common';
import { refusedPort, silentServer } from '@cio-dw/testkit';
import { CircuitBreaker } from '../src/client/circuit-breaker.js';
import { createSource, type SourceDeps } from '../src/source.js';
import { ALL_STREAMS, catalogOf, configFor, startSim } from './helpers/sim-sync.js';

interface DeadRun { traces: Record<string, any>[]; started: string[]; elapsedMs: number; error: unknown; states: number }

async function readAgainst(apiUrl: string, deps: SourceDeps, clock: ManualClock, streams = ALL_STREAMS): Promise<DeadRun> {
  const sim = await startSim();
  const config = { ...configFor(sim), api_url: apiUrl };
  await sim.close();
  const emitter = new MemoryEmitter();
  const t0 = clock.now();
  let error: unknown;
  try {
    await readSource(createSource({ clock, ...deps }), config, catalogOf(streams), new Map(), { emitter, logger: memoryLogger(), clock });
  } catch (e) { error = e; }
  const messages = emitter.messages as Record<string, any>[];
  const traces = messages.filter((m) => m['type'] === 'TRACE' && m['trace'].type === 'ERROR').map((m) => m['trace'] as Record<string, any>);
  const started = messages.filter((m) => m['type'] === 'TRACE' && m['trace'].type === 'STREAM_STATUS' && m['trace'].stream_status.status === 'STARTED')
    .map((m) => m['trace'].stream_status.stream_descriptor.name as string);
  return { traces, started, elapsedMs: clock.now() - t0, error, states: emitter.messages.filter((m) => m.type === 'STATE').length };
}

test('refused connections, default backoff and budgets: one TRACE, the sync stops within 5 minutes', async () => {
  const clock = new ManualClock(Date.now());
  const run = await readAgainst(`http://127.0.0.1:${await refusedPort()}/v1`, {}, clock);
  assert.ok(run.error instanceof ServiceDownError || (run.error as { failed?: { error: unknown }[] }).failed?.[0]?.error instanceof ServiceDownError, String(run.error));
  assert.equal(run.traces.length, 1, `one TRACE, got ${run.traces.map((t) => t['error']?.message).join(' | ')}`);
  assert.equal(run.traces[0]!['error'].failure_type, 'transient_error');
  assert.match(run.traces[0]!['error'].message, /has not answered .* the sync stops here/);
  assert.deepEqual(run.started, [ALL_STREAMS[0]], 'the remaining streams are not started');
  assert.ok(run.elapsedMs <= 5 * 60_000, `gave up after ${Math.round(run.elapsedMs / 1000)} s of backoff`);
});

test('a hung API (requests time out): one TRACE, the sync stops instead of ~11 minutes a stream', async () => {
  const hung = await silentServer();
  try {
    const clock = new ManualClock(Date.now());
    const run = await readAgainst(`http://127.0.0.1:${hung.port}/v1`, { transport: fetchTransport({ timeoutMs: 150 }) }, clock);
    assert.equal(run.traces.length, 1);
    assert.match(run.traces[0]!['error'].message, /network error \(timeout\)/);
    assert.deepEqual(run.started, [ALL_STREAMS[0]]);
    assert.ok(run.elapsedMs <= 5 * 60_000);
  } finally {
    await hung.close();
  }
});

test('an API that dies mid-sync: streams read before keep their state, one TRACE for the rest', async () => {
  const sim = await startSim({ faults: [{ kind: 'status', status: 503, skip: 4, count: Number.POSITIVE_INFINITY }] });
  const order = ['campaigns', 'broadcasts', 'segments', 'newsletters', 'deliveries', 'people'];
  try {
    const clock = new ManualClock(Date.now());
    const emitter = new MemoryEmitter();
    let error: unknown;
    try {
      await readSource(createSource({ clock, now: () => sim.control.now() * 1000 }), configFor(sim), catalogOf(order), new Map(), { emitter, logger: memoryLogger(), clock });
    } catch (e) { error = e; }
    assert.ok(error);
    const messages = emitter.messages as Record<string, any>[];
    const traces = messages.filter((m) => m['type'] === 'TRACE' && m['trace'].type === 'ERROR');
    assert.equal(traces.length, 1);
    const statusOf = (s: string) => messages.filter((m) => m['trace']?.stream_status?.status === s).map((m) => m['trace'].stream_status.stream_descriptor.name as string);
    assert.deepEqual(statusOf('COMPLETE'), ['campaigns', 'broadcasts', 'segments', 'newsletters'], 'read before the API died, with their states');
    assert.deepEqual(statusOf('INCOMPLETE'), ['deliveries']);
    assert.ok(!statusOf('STARTED').includes('people'), 'people is not started');
    // deliveries reads up to 4 windows at once; each read spends at most its 1 + 8 tries.
    assert.ok((sim.stats().byStatus['503'] ?? 0) <= 4 * 9, `${sim.stats().byStatus['503']} requests answered 503`);
  } finally { await sim.close(); }
});

test('breaker (unit, fake transport): opens after the silence and a few failures; a success resets it', async () => {
  const clock = new ManualClock(0);
  let calls = 0;
  let fail = true;
  const inner: HttpTransport = { request: async (_r: HttpRequest) => { calls++; if (fail) throw new NetworkError('connection_refused'); return createResponse({ status: 200, body: {} }); } };
  const breaker = new CircuitBreaker({ clock, deadAfterMs: 60_000, minFailures: 3 });
  const t = breaker.wrap(inner);
  const req: HttpRequest = { method: 'GET', url: 'http://127.0.0.1/v1/campaigns' };
  for (let i = 0; i < 5; i++) await assert.rejects(t.request(req), NetworkError); // silence shorter than 60 s: plain failures
  clock.advance(30_000);
  fail = false;
  assert.equal((await t.request(req)).status, 200); // alive again
  fail = true;
  clock.advance(59_000);
  for (let i = 0; i < 3; i++) await assert.rejects(t.request(req), NetworkError);
  clock.advance(2_000);
  await assert.rejects(t.request(req), ServiceDownError); // 61 s silent, 4 failures in a row
  const before = calls;
  await assert.rejects(t.request(req), ServiceDownError);
  assert.equal(calls, before, 'an open breaker sends nothing');
  assert.equal(breaker.isOpen, true);
});
