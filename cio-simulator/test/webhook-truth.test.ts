// Reporting-webhook events against ground truth: App API metric times, event ids, channels, journeys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, start } from './helpers.js';
import { startReceiver } from './webhook-receiver.js';
import { CHANNEL_METRICS, MAX_EVENT_LAG_S, type ObjectType, type ReportingWebhookEvent } from '../src/index.js';

const KEY = 'k';
const DAY = 86400;
const str = (e: ReportingWebhookEvent, k: string): string => e.data[k] as string;

test('first event of each (delivery, metric) has the App API metrics-map time and a derivable event id; repeats come later', async () => {
  const sim = await start();
  try {
    const events = sim.truth.webhookEvents();
    assert.ok(events.length > 500);
    const firsts = new Map<string, ReportingWebhookEvent>();
    let repeats = 0;
    for (const e of events) {
      const pair = `${str(e, 'delivery_id')}|${e.metric}`;
      const first = firsts.get(pair);
      if (!first) { firsts.set(pair, e); continue; }
      repeats++;
      assert.ok(e.metric === 'opened' || e.metric === 'clicked', `only opens and clicks repeat, got ${e.metric}`);
      assert.ok(e.timestamp >= first.timestamp);
      assert.notEqual(e.event_id, first.event_id);
    }
    assert.ok(repeats > 10, `expected repeated opens/clicks, got ${repeats}`);
    const ids = new Set(events.map((e) => e.event_id));
    assert.equal(ids.size, events.length, 'event ids are unique');
    for (const [pair, e] of firsts) {
      const [deliveryId, metric] = pair.split('|') as [string, string];
      const m = sim.truth.message(deliveryId)!;
      if (metric !== 'drafted') assert.equal((m['metrics'] as Record<string, number>)[metric], e.timestamp, pair);
      assert.equal(sim.truth.webhookEventId(deliveryId, metric), e.event_id);
      assert.ok(e.timestamp <= (m['created'] as number) + MAX_EVENT_LAG_S);
      assert.ok(CHANNEL_METRICS[e.object_type].includes(metric), `${e.object_type} ${metric}`);
    }
    // Over the wire too, for a few deliveries.
    for (const [pair, e] of [...firsts].slice(-5)) {
      const r = await call(sim, `/messages/${encodeURIComponent(str(e, 'delivery_id'))}`);
      assert.equal(r.status, 200);
      const metric = pair.split('|')[1]!;
      if (metric !== 'drafted') assert.equal(((r.body['message'] as Record<string, unknown>)['metrics'] as Record<string, number>)[metric], e.timestamp);
    }
    // Completeness: every App API metric the channel reports has its first webhook event.
    const typeOf: Record<string, ObjectType> = { email: 'email', push: 'push', twilio: 'sms', webhook: 'webhook', in_app: 'in_app' };
    for (const m of sim.truth.messages()) {
      for (const metric of Object.keys(m['metrics'] as object)) {
        if (CHANNEL_METRICS[typeOf[m['type'] as string]!].includes(metric)) assert.ok(firsts.has(`${m['id'] as string}|${metric}`), `${m['id'] as string} ${metric}`);
      }
    }
    const click = events.find((e) => e.metric === 'clicked')!;
    assert.match(str(click, 'href'), /^https:\/\/www\.example\.com\//);
    assert.equal(typeof click.data['link_id'], 'number');
    const bounce = events.find((e) => e.metric === 'bounced');
    if (bounce) assert.match(str(bounce, 'failure_message'), /^5\d\d /);
  } finally { await sim.close(); }
});

test('the sender posts exactly the ground-truth events of its window, in order', async () => {
  const rx = await startReceiver();
  const sim = await start();
  try {
    const t0 = sim.control.now();
    const s = sim.control.sendWebhooks({ url: rx.url, signingKey: KEY, since: t0 - 4 * DAY });
    sim.control.advanceClock(2 * DAY);
    await s.flush();
    assert.deepEqual(rx.received.map((r) => r.json), sim.truth.webhookEvents({ after: t0 - 4 * DAY }));
    assert.deepEqual(s.events(), sim.truth.webhookEvents({ after: t0 - 4 * DAY }));
  } finally { await sim.close(); await rx.close(); }
});

test('late metrics and back-dated deliveries are sent once, at the time the App API shows', async () => {
  const rx = await startReceiver();
  const sim = await start();
  try {
    const t0 = sim.control.now();
    const s = sim.control.sendWebhooks({ url: rx.url, signingKey: KEY });
    const old = sim.truth.messages({ to: t0 - 20 * DAY }).find((m) => m['type'] === 'email' && !('opened' in (m['metrics'] as object)) && 'delivered' in (m['metrics'] as object))!;
    sim.control.advanceClock(60);
    sim.control.addMetric(old['id'] as string, 'opened', t0 + 30);
    const action = sim.truth.campaignActions(1).find((a) => a.sending_state !== 'draft' && a.type === 'email')!;
    const [added] = sim.control.addDeliveries({ actionId: action.id, metrics: { sent: t0 + 40, delivered: t0 + 50 } });
    sim.control.advanceClock(60);
    await s.flush();
    const got = rx.received.map((r) => [r.json['metric'], (r.json['data'] as Record<string, unknown>)['delivery_id'], r.json['timestamp']]);
    assert.deepEqual(got.filter((g) => g[1] === old['id']), [['opened', old['id'], t0 + 30]]);
    assert.deepEqual(got.filter((g) => g[1] === added!.id), [['sent', added!.id, t0 + 40], ['delivered', added!.id, t0 + 50]]);
    const api = await call(sim, `/messages/${encodeURIComponent(old['id'] as string)}`);
    assert.equal(((api.body['message'] as Record<string, unknown>)['metrics'] as Record<string, number>)['opened'], t0 + 30);
    sim.control.advanceClock(3600);
    await s.flush();
    assert.equal(rx.received.filter((r) => (r.json['data'] as Record<string, unknown>)['delivery_id'] === old['id']).length, 1, 'sent once');
  } finally { await sim.close(); await rx.close(); }
});

test('journeys: campaign events carry journey_id = (campaign, person, trigger); truth.journeys() groups them', async () => {
  const sim = await start();
  const again = await start();
  try {
    const journeys = sim.truth.journeys();
    assert.deepEqual(again.truth.journeys(), journeys, 'deterministic for a seed');
    assert.ok(journeys.some((j) => j.deliveries.length > 2), 'some journeys have several deliveries');
    const byDelivery = new Map(journeys.flatMap((j) => j.deliveries.map((d) => [d.delivery_id, j] as const)));
    const firstEvent = new Map<string, number>();
    for (const e of sim.truth.webhookEvents()) {
      const j = byDelivery.get(str(e, 'delivery_id'));
      if (e.data['campaign_id'] === undefined) { assert.equal(e.data['journey_id'], undefined); assert.equal(j, undefined); continue; }
      assert.ok(j);
      assert.equal(e.data['journey_id'], j.journey_id);
      assert.equal(e.data['campaign_id'], j.campaign_id);
      assert.equal((e.data['identifiers'] as Record<string, unknown>)['cio_id'], j.cio_id);
      assert.equal(e.data['trigger_event_id'] ?? null, j.trigger_event_id);
      firstEvent.set(j.journey_id, Math.min(firstEvent.get(j.journey_id) ?? Infinity, e.timestamp));
    }
    for (const j of journeys) {
      assert.equal(j.first_event_at, firstEvent.get(j.journey_id) ?? null);
      assert.equal(j.started_at, Math.min(...j.deliveries.map((d) => d.created)));
      if (j.first_event_at !== null) assert.ok(j.first_event_at >= j.started_at);
    }
    // A new untriggered delivery of the same campaign to the same person joins that person's journey.
    const j = journeys.find((x) => x.trigger_event_id === null && x.campaign_id === 1)!;
    let added: { id: string } | undefined;
    for (let k = 0; k < 40 && !added; k++) {
      const [d] = sim.control.addDeliveries({ campaignId: 1, person: j.cio_id });
      if (sim.truth.message(d!.id)!['trigger_event_id'] === null) added = d;
    }
    assert.ok(added);
    const after = sim.truth.journeys().find((x) => x.journey_id === j.journey_id)!;
    assert.equal(after.deliveries.at(-1)!.delivery_id, added.id);
  } finally { await sim.close(); await again.close(); }
});
