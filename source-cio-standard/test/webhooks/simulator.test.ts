// End to end on the simulator's signed webhooks: signature checks reject exactly the faulted requests,
// duplicates are emitted once, a metric seen via both paths appears once, journeys match ground truth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator } from '@cio-dw/cio-simulator';
import { verifyReportingSignature } from '../../src/webhooks/signature.js';
import { parseReportingEvent, type ReportingEvent } from '../../src/webhooks/event.js';
import { metricRowsFromEvents } from '../../src/webhooks/metric-rows.js';
import { newOutputRows, newSubjectRows } from '../../src/webhooks/journey-rows.js';
import { emptySeenPairs, markApiMetric } from '../../src/webhooks/seen-pairs.js';
import { metricRows } from '../../src/transforms/metric.js';
import { isoFromSeconds } from '../../src/transforms/values.js';

const KEY = 'whsec_sim';
const DAY = 86400;

async function receiver(): Promise<{ url: string; accepted: ReportingEvent[]; rejected: string[]; close(): Promise<void> }> {
  const accepted: ReportingEvent[] = []; const rejected: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const check = verifyReportingSignature(body, req.headers['x-cio-timestamp'], req.headers['x-cio-signature'], KEY, Math.floor(Date.now() / 1000), 300);
      if (!check.ok) { rejected.push(check.reason); res.writeHead(401).end(); return; }
      const parsed = parseReportingEvent(body);
      if (!parsed.ok) { rejected.push('invalid'); res.writeHead(400).end(); return; }
      accepted.push(parsed.event);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, accepted, rejected,
    close: () => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

test('simulator webhooks → verified, parsed, deduplicated metrics, subjects and outputs that match ground truth', async () => {
  const rx = await receiver();
  const sim = await startSimulator({ seed: 11, size: 'tiny', rateLimit: { perSecond: 0 } });
  try {
    const t0 = sim.control.now();
    const since = t0 - 12 * DAY;
    const sender = sim.control.sendWebhooks({
      url: rx.url, signingKey: KEY, since, retries: 1, retryDelayMs: 1, concurrency: 4,
      badSignature: 0.15, staleTimestamp: 0.1, missingSignature: 0.05, missingTimestamp: 0.05, duplicate: 0.3,
    });
    sim.control.advanceClock(DAY);
    await sender.flush();
    const log = sender.log();
    const expectedReasons: Record<string, string> = { bad_signature: 'bad_signature', stale_timestamp: 'stale_timestamp', missing_signature: 'missing_signature', missing_timestamp: 'missing_timestamp' };
    assert.deepEqual([...rx.rejected].sort(), log.filter((x) => x.fault).map((x) => expectedReasons[x.fault!]!).sort());
    assert.ok(rx.rejected.length > 5 && log.some((x) => x.duplicate));

    const truth = sim.truth.webhookEvents({ after: since });
    assert.deepEqual(new Set(rx.accepted.map((e) => e.eventId)), new Set(truth.map((e) => e.event_id)), 'every event arrives (retries cover the faults)');
    assert.ok(rx.accepted.length > truth.length, 'some arrived twice');

    // Cross-path: the App API path emitted the metrics of every other delivery first.
    const messages = new Map(sim.truth.messages().map((m) => [m['id'] as string, m]));
    const deliveries = [...new Set(truth.map((e) => e.data['delivery_id'] as string))].sort();
    const apiRows = deliveries.filter((_, k) => k % 2 === 0).flatMap((id) => metricRows(messages.get(id)!, sim.workspaceId, since, t0 + DAY));
    let state = emptySeenPairs();
    for (const r of apiRows) state = markApiMetric(state, r['delivery_id'] as string, r['metric'] as string, Date.parse(r['created_at'] as string) / 1000);
    const mid = Math.floor(rx.accepted.length / 2);
    const first = metricRowsFromEvents(rx.accepted.slice(0, mid), sim.workspaceId, state);
    const second = metricRowsFromEvents(rx.accepted.slice(mid), sim.workspaceId, first.state);
    const webhookRows = [...first.rows, ...second.rows];
    const all = [...apiRows, ...webhookRows];
    assert.equal(new Set(all.map((r) => r['event_id'])).size, all.length, 'no event_id emitted twice');
    // Every webhook event has exactly one row: its own, or the App API row of its pair at the same time.
    const apiIds = new Map(apiRows.map((r) => [r['event_id'], r]));
    const byTime = new Map(all.map((r) => [`${r['delivery_id'] as string}|${r['metric'] as string}|${r['created_at'] as string}`, r]));
    for (const e of truth) {
      const key = `${e.data['delivery_id'] as string}|${e.metric}|${isoFromSeconds(e.timestamp)!}`;
      assert.ok(byTime.has(key), key);
    }
    const inMatrix = webhookRows.length + [...apiIds.values()].filter((r) => truth.some((e) => e.data['delivery_id'] === r['delivery_id'] && e.metric === r['metric'])).length;
    assert.equal(inMatrix, truth.length);
    const clicks = webhookRows.filter((r) => r['metric'] === 'clicked');
    assert.ok(clicks.length > 0 && clicks.every((r) => typeof r['link_url'] === 'string' && typeof r['link_id'] === 'number'));

    // Journeys: subjects once per journey, started at the first event seen; outputs join to them.
    const subjects = newSubjectRows(rx.accepted, new Set(), sim.workspaceId);
    const journeys = new Map(sim.truth.journeys().map((j) => [j.journey_id, j]));
    const firstSeen = new Map<string, number>();
    for (const e of truth) {
      const j = e.data['journey_id'] as string | undefined;
      if (j) firstSeen.set(j, Math.min(firstSeen.get(j) ?? Infinity, e.timestamp));
    }
    assert.deepEqual(subjects.rows.map((r) => r['subject_name']).sort(), [...firstSeen.keys()].sort());
    for (const r of subjects.rows) {
      const j = journeys.get(r['subject_name'] as string)!;
      assert.equal(r['campaign_id'], j.campaign_id);
      assert.equal(r['internal_customer_id'], j.cio_id);
      assert.equal(r['event_id'], j.trigger_event_id);
      assert.equal(r['started_campaign_at'], isoFromSeconds(firstSeen.get(j.journey_id)));
      if (j.first_event_at !== null && j.first_event_at > since) assert.equal(r['started_campaign_at'], isoFromSeconds(j.first_event_at));
    }
    const outputs = newOutputRows(rx.accepted, new Set(), sim.workspaceId);
    assert.ok(outputs.rows.length > 0);
    for (const o of outputs.rows) {
      const j = journeys.get(o['subject_name'] as string)!;
      const d = j.deliveries.find((x) => x.delivery_id === o['delivery_id']);
      assert.ok(d);
      assert.equal(o['action_id'], d.action_id);
    }
  } finally { await sim.close(); await rx.close(); }
});
