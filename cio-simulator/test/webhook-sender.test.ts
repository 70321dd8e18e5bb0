// The reporting-webhook sender: signatures, knobs (faults, duplicates, bursts, retries), lifecycle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { start } from './helpers.js';
import type { Simulator } from '../src/simulator.js';
import { startReceiver, type Received } from './webhook-receiver.js';

const KEY = 'whsec_test_key';
const DAY = 86400;

function expectedSig(r: Received, key = KEY): string {
  return createHmac('sha256', key).update(`v0:${String(r.headers['x-cio-timestamp'])}:${r.body}`).digest('hex');
}

test('every POST carries one event, signed as hex HMAC-SHA256 of v0:<ts>:<body>, timestamp = sender clock', async () => {
  const rx = await startReceiver();
  const sim = await start();
  try {
    const t0 = sim.control.now();
    const sender = sim.control.sendWebhooks({ url: rx.url, signingKey: KEY, since: t0 - 10 * DAY, now: () => 1_900_000_000 });
    const report = await sender.flush();
    assert.ok(report.events > 20, `expected a backlog of events, got ${report.events}`);
    assert.equal(report.requests, report.events);
    assert.equal(report.ok, report.events);
    assert.equal(rx.received.length, report.events);
    for (const r of rx.received) {
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(r.headers['x-cio-timestamp'], '1900000000');
      assert.equal(r.headers['x-cio-signature'], expectedSig(r));
      assert.notEqual(r.headers['x-cio-signature'], expectedSig(r, `${KEY}x`));
      assert.deepEqual(Object.keys(r.json).sort(), ['data', 'event_id', 'metric', 'object_type', 'timestamp']);
    }
    // Sent in time order, all inside the window.
    const times = rx.received.map((r) => r.json['timestamp'] as number);
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    assert.ok(times.every((t) => t > t0 - 10 * DAY && t <= t0));
    assert.equal(sender.cursor(), t0);
    assert.deepEqual((await sender.flush()).requests, 0, 'nothing new until the clock moves');
  } finally { await sim.close(); await rx.close(); }
});

test('auto mode sends as the clock advances; default since = now; default timestamp = wall clock', async () => {
  const rx = await startReceiver();
  const sim = await start();
  try {
    const t0 = sim.control.now();
    const sender = sim.control.sendWebhooks({ url: rx.url, signingKey: KEY });
    assert.equal((await sender.flush()).requests, 0);
    sim.control.addDeliveries({ count: 3, actionId: liveAction(sim), metrics: { sent: t0 + 10, delivered: t0 + 20, opened: t0 + 100 } });
    sim.control.advanceClock(50);
    const wall = Math.floor(Date.now() / 1000);
    await sender.flush();
    assert.deepEqual(rx.received.map((r) => r.json['metric']), ['sent', 'sent', 'sent', 'delivered', 'delivered', 'delivered']);
    for (const r of rx.received) assert.ok(Math.abs(Number(r.headers['x-cio-timestamp']) - wall) <= 5);
    sim.control.advanceClock(100);
    await sender.flush();
    assert.deepEqual(rx.received.slice(6).map((r) => r.json['metric']), ['opened', 'opened', 'opened']);
  } finally { await sim.close(); await rx.close(); }
});

test('fault knobs: bad signature, missing headers and stale timestamps on a deterministic share of events', async () => {
  const rx = await startReceiver();
  const sim = await start();
  try {
    const t0 = sim.control.now();
    const s = sim.control.sendWebhooks({
      url: rx.url, signingKey: KEY, since: t0 - 10 * DAY, now: () => 1_900_000_000,
      badSignature: 0.2, missingSignature: 0.1, missingTimestamp: 0.1, staleTimestamp: 0.2, staleBySeconds: 900,
    });
    await s.flush();
    const log = s.log();
    const count = (f: string | null): number => log.filter((x) => x.fault === f).length;
    for (const f of ['bad_signature', 'missing_signature', 'missing_timestamp', 'stale_timestamp']) assert.ok(count(f) > 0, f);
    assert.ok(count(null) > log.length / 3);
    for (const [k, r] of rx.received.entries()) {
      const entry = log.find((x) => x.seq === k + 1)!;
      const sig = r.headers['x-cio-signature'];
      const ts = r.headers['x-cio-timestamp'];
      switch (entry.fault) {
        case 'bad_signature': assert.equal(ts, '1900000000'); assert.notEqual(sig, expectedSig(r)); break;
        case 'missing_signature': assert.equal(sig, undefined); break;
        case 'missing_timestamp': assert.equal(ts, undefined); assert.ok(typeof sig === 'string'); break;
        case 'stale_timestamp': assert.equal(ts, String(1_900_000_000 - 900)); assert.equal(sig, expectedSig(r)); break;
        default: assert.equal(ts, '1900000000'); assert.equal(sig, expectedSig(r));
      }
    }
    // Same seed, same knobs → the same events get the same faults.
    const rx2 = await startReceiver();
    const sim2 = await start();
    try {
      const s2 = sim2.control.sendWebhooks({ url: rx2.url, signingKey: KEY, since: t0 - 10 * DAY, badSignature: 0.2, missingSignature: 0.1, missingTimestamp: 0.1, staleTimestamp: 0.2 });
      await s2.flush();
      assert.deepEqual(s2.log().map((x) => [x.event_id, x.fault]), log.map((x) => [x.event_id, x.fault]));
    } finally { await sim2.close(); await rx2.close(); }
  } finally { await sim.close(); await rx.close(); }
});

test('duplicate knob posts the same event (same event_id and body) twice; both correctly signed', async () => {
  const rx = await startReceiver();
  const sim = await start();
  try {
    const s = sim.control.sendWebhooks({ url: rx.url, signingKey: KEY, since: sim.control.now() - 5 * DAY, duplicate: 1 });
    const report = await s.flush();
    assert.equal(report.requests, 2 * report.events);
    const byId = new Map<string, Received[]>();
    for (const r of rx.received) byId.set(r.json['event_id'] as string, [...(byId.get(r.json['event_id'] as string) ?? []), r]);
    assert.equal(byId.size, report.events);
    for (const copies of byId.values()) {
      assert.equal(copies.length, 2);
      assert.equal(copies[0]!.body, copies[1]!.body);
      for (const c of copies) assert.equal(c.headers['x-cio-signature'], expectedSig(c));
    }
    assert.equal(s.events().length, report.events, 'events() lists each event once');
  } finally { await sim.close(); await rx.close(); }
});

test('concurrency knob sends bursts of N concurrent requests', async () => {
  const rx = await startReceiver({ delayMs: 40 });
  const sim = await start();
  try {
    const s = sim.control.sendWebhooks({ url: rx.url, signingKey: KEY, since: sim.control.now() - 6 * DAY, concurrency: 8, auto: false });
    const report = await s.flush();
    assert.ok(report.events >= 16, `need enough events for a burst, got ${report.events}`);
    assert.equal(rx.maxInFlight(), 8);
    assert.equal(report.ok, report.events);
  } finally { await sim.close(); await rx.close(); }
});

test('retries re-post a failed event with the same event_id; timeouts count as failures', async () => {
  const rx = await startReceiver({ respond: (_r, n) => (n % 2 === 1 ? 500 : 200) });
  const sim = await start();
  try {
    const s = sim.control.sendWebhooks({ url: rx.url, signingKey: KEY, since: sim.control.now() - 3 * DAY, retries: 2, retryDelayMs: 1 });
    const report = await s.flush();
    assert.ok(report.events > 0);
    assert.equal(report.requests, 2 * report.events);
    assert.equal(report.failed, report.events);
    for (let k = 0; k < rx.received.length; k += 2) assert.equal(rx.received[k]!.json['event_id'], rx.received[k + 1]!.json['event_id']);
    assert.ok(s.log().filter((x) => x.attempt === 1).every((x) => x.status === 200));
  } finally { await sim.close(); await rx.close(); }
  const slow = await startReceiver({ delayMs: 300 });
  const sim2 = await start();
  try {
    const s = sim2.control.sendWebhooks({ url: slow.url, signingKey: KEY, timeoutMs: 50 });
    const r = await s.post({ event_id: 'x', object_type: 'email', metric: 'sent', timestamp: 1, data: {} });
    assert.equal(r.status, 'timeout');
  } finally { await sim2.close(); await slow.close(); }
});

test('startSimulator({webhooks}) starts a sender; close() stops it; bad options are refused', async () => {
  const rx = await startReceiver();
  const sim = await start({ webhooks: { url: rx.url, signingKey: KEY } });
  try {
    assert.ok(sim.webhooks);
    sim.control.addDeliveries({ count: 1, actionId: liveAction(sim), metrics: { sent: sim.control.now() + 1 } });
    sim.control.advanceClock(5);
    await sim.webhooks.flush();
    assert.equal(rx.received.length, 1);
    await sim.close();
    sim.control.advanceClock(5);
    assert.equal((await sim.webhooks.flush()).requests, 0);
    assert.throws(() => sim.control.sendWebhooks({ url: 'ftp://x', signingKey: KEY }), /http/);
    assert.throws(() => sim.control.sendWebhooks({ url: rx.url, signingKey: '' }), /signingKey/);
  } finally { await sim.close(); await rx.close(); }
});

/** An email action of campaign 1 that is not a draft (so its deliveries start with `sent`, not `drafted`). */
function liveAction(sim: Simulator): number {
  const a = sim.truth.campaignActions(1).find((x) => x.sending_state !== 'draft' && x.type === 'email');
  assert.ok(a);
  return a.id;
}
