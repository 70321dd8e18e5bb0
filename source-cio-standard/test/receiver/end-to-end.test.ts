// Simulator → signed webhooks (faults, duplicates, retries) → the real receiver → the spool → a sync of
// metrics, subjects and outputs: each event once, journeys as in the simulator's ground truth, a metric
// seen via both the App API and a webhook appears once, and a second sync repeats nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoFromSeconds } from '../../src/transforms/values.js';
import { runSync, startSim, type Row } from '../helpers/sim-sync.js';
import { SIGNING_KEY, startReceiver, tempDir, webhookSpool } from '../helpers/receiver.js';

const DAY = 86400;
const settle = () => new Promise((r) => setTimeout(r, 1100));

test('webhooks through the receiver: metrics once across both paths, subjects and outputs match the journeys', async () => {
  const spool = await tempDir('e2e');
  const rx = await startReceiver(spool);
  const sim = await startSim({ seed: 11 });
  try {
    const t0 = sim.control.now();
    const since = t0 - 12 * DAY;
    const sender = sim.control.sendWebhooks({
      url: rx.url, signingKey: SIGNING_KEY, since, retries: 2, retryDelayMs: 1, concurrency: 8,
      badSignature: 0.1, staleTimestamp: 0.05, missingSignature: 0.05, duplicate: 0.3,
    });
    sim.control.advanceClock(DAY);
    await sender.flush();
    const log = sender.log();
    assert.ok(log.some((x) => x.duplicate) && log.some((x) => x.fault), 'the sender did send duplicates and faults');
    assert.ok(log.filter((x) => x.fault).every((x) => x.status === 401), 'every faulted request was refused');
    await settle();

    const config = { reporting_webhooks: webhookSpool(spool) };
    const streams = ['metrics', 'subjects', 'outputs'];
    const first = await runSync(sim, { streams, config });
    assert.equal(first.error, undefined, String(first.error));
    const truth = sim.truth.webhookEvents({ after: since });

    // metrics: no event_id twice; every webhook event is covered by exactly one row at its time.
    const metrics = first.records.get('metrics')!;
    assert.equal(new Set(metrics.map((r) => r['event_id'])).size, metrics.length, 'no metric event_id emitted twice');
    const at = new Map<string, Row[]>();
    for (const r of metrics) {
      const k = `${r['delivery_id'] as string}|${r['metric'] as string}|${r['created_at'] as string}`;
      at.set(k, [...(at.get(k) ?? []), r]);
    }
    for (const e of truth) {
      const k = `${e.data['delivery_id'] as string}|${e.metric}|${isoFromSeconds(e.timestamp)!}`;
      assert.equal(at.get(k)?.length, 1, `one row for ${k}`);
    }
    // A metric both paths saw (the App API's map + its first webhook event) is the webhook's row, once.
    const clicks = metrics.filter((r) => r['metric'] === 'clicked' && truth.some((e) => e.data['delivery_id'] === r['delivery_id']));
    assert.ok(clicks.length > 0 && clicks.every((r) => typeof r['link_url'] === 'string'), 'clicks from webhooks carry link_url');
    const apiOnly = metrics.filter((r) => !truth.some((e) => e.data['delivery_id'] === r['delivery_id']));
    assert.ok(apiOnly.length > 0, 'deliveries before the webhook window still come from the App API');

    // subjects: one per journey seen, with the journey's campaign, person and trigger; start = first event.
    const subjects = first.records.get('subjects')!;
    const firstSeen = new Map<string, number>();
    for (const e of truth) {
      const j = e.data['journey_id'] as string | undefined;
      if (j) firstSeen.set(j, Math.min(firstSeen.get(j) ?? Infinity, e.timestamp));
    }
    assert.deepEqual(subjects.map((r) => r['subject_name']).sort(), [...firstSeen.keys()].sort());
    const journeys = new Map(sim.truth.journeys().map((j) => [j.journey_id, j]));
    for (const r of subjects) {
      const j = journeys.get(r['subject_name'] as string)!;
      assert.equal(r['campaign_id'], j.campaign_id);
      assert.equal(r['internal_customer_id'], j.cio_id);
      assert.equal(r['event_id'], j.trigger_event_id);
      assert.equal(r['started_campaign_at'], isoFromSeconds(firstSeen.get(j.journey_id)));
    }
    // outputs: each is a delivery of its journey, by the right action; one row per (output, draft).
    const outputs = first.records.get('outputs')!;
    assert.ok(outputs.length > 0);
    assert.equal(new Set(outputs.map((o) => `${o['output_id'] as string}|${String(o['draft'])}`)).size, outputs.length);
    for (const o of outputs) {
      const d = journeys.get(o['subject_name'] as string)?.deliveries.find((x) => x.delivery_id === o['delivery_id']);
      assert.ok(d, `output ${o['delivery_id'] as string} belongs to journey ${o['subject_name'] as string}`);
      assert.equal(o['action_id'], d.action_id);
      assert.equal(o['delay_ends_at'], null);
      assert.equal(o['branch_index'], null);
    }
    // The state is small: cursors and the name of a memory object beside the spool.
    for (const s of streams) assert.ok(JSON.stringify(first.state.get(s)).length < 400, `${s} state is small`);

    // More events later (new deliveries' metrics + redeliveries of old ones), then a second sync.
    for (const e of truth.slice(0, 20)) await sender.post(e);
    sim.control.advanceClock(2 * DAY);
    await sender.flush();
    await settle();
    const second = await runSync(sim, { streams, config, state: first.state });
    assert.equal(second.error, undefined, String(second.error));
    const ids1 = new Set(metrics.map((r) => r['event_id']));
    const m2 = second.records.get('metrics')!;
    assert.deepEqual(m2.filter((r) => ids1.has(r['event_id'])), [], 'the second sync repeats no metric');
    const subj1 = new Set(subjects.map((r) => r['subject_name']));
    assert.deepEqual(second.records.get('subjects')!.filter((r) => subj1.has(r['subject_name'])), [], 'no journey twice');
    const out1 = new Set(outputs.map((o) => `${o['output_id'] as string}|${String(o['draft'])}`));
    assert.deepEqual(second.records.get('outputs')!.filter((o) => out1.has(`${o['output_id'] as string}|${String(o['draft'])}`)), []);
    const truth2 = sim.truth.webhookEvents({ after: since });
    assert.ok(truth2.length > truth.length, 'new events arrived');
    const all = [...metrics, ...m2];
    for (const e of truth2) {
      const k = `${e.data['delivery_id'] as string}|${e.metric}|${isoFromSeconds(e.timestamp)!}`;
      assert.equal(all.filter((r) => `${r['delivery_id'] as string}|${r['metric'] as string}|${r['created_at'] as string}` === k).length, 1, k);
    }
  } finally { await sim.close(); await rx.close(); }
});
