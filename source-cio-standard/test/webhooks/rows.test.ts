// Row derivations from literal events: subjects (once per journey), outputs, metrics with the event_id rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReportingEvent } from '../../src/webhooks/event.js';
import { newOutputRows, newSubjectRows, outputId, outputRows, subjectRow } from '../../src/webhooks/journey-rows.js';
import { metricRowFromEvent, metricRowsFromEvents, repeatMetricEventId } from '../../src/webhooks/metric-rows.js';
import { emptySeenPairs, markApiMetric, pruneSeenPairs, seenPairsFromJson, seenPairsToJson } from '../../src/webhooks/seen-pairs.js';
import { metricEventId } from '../../src/transforms/metric.js';

const WS = 111528;
function ev(over: Partial<ReportingEvent>): ReportingEvent {
  return {
    eventId: 'E1', objectType: 'email', metric: 'sent', timestampS: 1793491200, customerId: '42', cioId: 'a3000001', email: 'p@example.com',
    deliveryId: 'D1', campaignId: 23, broadcastId: null, actionId: 96, parentActionId: null, newsletterId: null, contentId: null,
    transactionalMessageId: null, triggerEventId: 'TRIG1', triggerId: null, journeyId: 'J1', recipient: 'p@example.com', subject: 'Hi',
    href: null, linkId: null, machine: null, failureMessage: null, ...over,
  };
}

test('subjectRow: standard subjects columns from a journey event; null without journey_id', () => {
  assert.deepEqual(subjectRow(ev({}), WS, 'event'), {
    workspace_id: 111528, subject_name: 'J1', internal_customer_id: 'a3000001', campaign_type: 'event', campaign_id: 23,
    event_id: 'TRIG1', trigger_id: null, started_campaign_at: '2026-11-01T00:00:00.000Z', created_at: '2026-11-01T00:00:00.000Z', seq_num: null,
  });
  assert.equal(subjectRow(ev({ journeyId: null }), WS), null);
});

test('newSubjectRows: once per journey, started at the earliest event of the batch; emitted set carried over', () => {
  const batch = [ev({ eventId: 'E3', timestampS: 300, journeyId: 'J1' }), ev({ eventId: 'E2', timestampS: 100, journeyId: 'J1' }),
    ev({ eventId: 'E4', timestampS: 200, journeyId: 'J2' }), ev({ eventId: 'E5', timestampS: 50, journeyId: null })];
  const a = newSubjectRows(batch, new Set(), WS, (c) => (c === 23 ? 'segment' : null));
  assert.deepEqual(a.rows.map((r) => [r['subject_name'], r['started_campaign_at'], r['campaign_type']]),
    [['J1', '1970-01-01T00:01:40.000Z', 'segment'], ['J2', '1970-01-01T00:03:20.000Z', 'segment']]);
  assert.deepEqual([...a.emitted].sort(), ['J1', 'J2']);
  const b = newSubjectRows([ev({ eventId: 'E9', timestampS: 10, journeyId: 'J2' }), ev({ eventId: 'E8', journeyId: 'J3' })], a.emitted, WS);
  assert.deepEqual(b.rows.map((r) => r['subject_name']), ['J3']);
});

test('outputRows: drafted/sent reveal the message output; other metrics and non-journey events do not', () => {
  const id = outputId('J1', 96, 'D1');
  assert.match(id, /^[0-9a-f]{32}$/);
  assert.notEqual(id, outputId('J1', 97, 'D1'));
  assert.deepEqual(outputRows(ev({ metric: 'drafted' }), WS), [{
    workspace_id: 111528, output_id: id, subject_name: 'J1', output_type: 'email', action_id: 96, explanation: null, delivery_id: 'D1',
    draft: true, link_tracked: null, split_test_index: null, delay_ends_at: null, branch_index: null, manual_segment_id: null,
    add_to_manual_segment: null, created_at: '2026-11-01T00:00:00.000Z', seq_num: null,
  }]);
  assert.equal(outputRows(ev({ metric: 'sent' }), WS)[0]!['draft'], false);
  assert.equal(outputRows(ev({ metric: 'sent', objectType: 'sms' }), WS)[0]!['output_type'], 'sms');
  assert.deepEqual(outputRows(ev({ metric: 'opened' }), WS), []);
  assert.deepEqual(outputRows(ev({ journeyId: null }), WS), []);
  const n = newOutputRows([ev({ eventId: 'a', metric: 'drafted', timestampS: 1 }), ev({ eventId: 'b', metric: 'attempted', timestampS: 2 }),
    ev({ eventId: 'c', metric: 'sent', timestampS: 3 }), ev({ eventId: 'c', metric: 'sent', timestampS: 3 })], new Set(), WS);
  assert.deepEqual(n.rows.map((r) => [r['output_id'], r['draft']]), [[id, true], [id, false]]);
});

test('metricRowFromEvent: first uses the App API id; repeats get their own; reason and link columns', () => {
  const click = ev({ eventId: 'W2', metric: 'clicked', href: 'https://e.com/a', linkId: 7, timestampS: 1793491260, machine: true });
  assert.deepEqual(metricRowFromEvent(click, WS), {
    event_id: metricEventId('D1', 'clicked'), workspace_id: 111528, delivery_id: 'D1', metric: 'clicked', reason: null,
    link_id: 7, link_url: 'https://e.com/a', created_at: '2026-11-01T00:01:00.000Z', seq_num: null,
    proxied: null, prefetched: null, machine: true, user_agent: null, email_client: null, inbox_domain: null, inbox_provider: null, mx_host: null,
  });
  assert.equal(metricRowFromEvent(click, WS, 'repeat')!['event_id'], repeatMetricEventId('D1', 'clicked', 'W2'));
  assert.notEqual(repeatMetricEventId('D1', 'clicked', 'W2'), repeatMetricEventId('D1', 'clicked', 'W3'));
  assert.equal(metricRowFromEvent(ev({ metric: 'bounced', failureMessage: '550 no such user' }), WS)!['reason'], '550 no such user');
  assert.equal(metricRowFromEvent(ev({ objectType: 'customer', deliveryId: null }), WS), null);
});

test('metricRowsFromEvents: first by time in the batch, repeats, duplicates dropped, state carried across batches', () => {
  const o1 = ev({ eventId: 'O1', metric: 'opened', timestampS: 100 });
  const o2 = ev({ eventId: 'O2', metric: 'opened', timestampS: 200 });
  const o3 = ev({ eventId: 'O3', metric: 'opened', timestampS: 300 });
  const a = metricRowsFromEvents([o2, o1, o1], WS, emptySeenPairs());
  assert.deepEqual(a.decisions, [{ eventId: 'O1', kind: 'first' }, { eventId: 'O1', kind: 'duplicate' }, { eventId: 'O2', kind: 'repeat' }]);
  assert.deepEqual(a.rows.map((r) => r['event_id']), [metricEventId('D1', 'opened'), repeatMetricEventId('D1', 'opened', 'O2')]);
  const b = metricRowsFromEvents([o2, o3, o1], WS, a.state);
  assert.deepEqual(b.decisions.map((d) => d.kind), ['duplicate', 'duplicate', 'repeat']);
  assert.deepEqual(b.rows.map((r) => r['event_id']), [repeatMetricEventId('D1', 'opened', 'O3')]);
  // Round trip through JSON keeps the decisions.
  const c = metricRowsFromEvents([o3, o1], WS, seenPairsFromJson(JSON.parse(JSON.stringify(seenPairsToJson(b.state)))));
  assert.deepEqual(c.rows, []);
  assert.equal(a.state.size, 1, 'the input state is not mutated by later batches');
  assert.equal(a.state.get(metricEventId('D1', 'opened'))!.repeats.length, 1);
});

test('a metric the App API path already emitted is not emitted again from its webhook; later ones are repeats', () => {
  const api = markApiMetric(emptySeenPairs(), 'D1', 'opened', 100);
  assert.equal(markApiMetric(api, 'D1', 'opened', 999), api);
  const r = metricRowsFromEvents([ev({ eventId: 'O1', metric: 'opened', timestampS: 100 }), ev({ eventId: 'O2', metric: 'opened', timestampS: 500 }),
    ev({ eventId: 'S1', metric: 'sent', timestampS: 50 })], WS, api);
  assert.deepEqual(r.decisions.map((d) => [d.eventId, d.kind]), [['S1', 'first'], ['O1', 'already_emitted'], ['O2', 'repeat']]);
  const again = metricRowsFromEvents([ev({ eventId: 'O1', metric: 'opened', timestampS: 100 })], WS, r.state);
  assert.deepEqual(again.decisions.map((d) => d.kind), ['duplicate']);
  assert.deepEqual(metricRowsFromEvents([ev({ objectType: 'customer', deliveryId: null })], WS, api).decisions.map((d) => d.kind), ['not_a_metric']);
});

test('pruneSeenPairs drops pairs whose first event is older than the horizon', () => {
  let s = markApiMetric(emptySeenPairs(), 'D1', 'sent', 100);
  s = markApiMetric(s, 'D2', 'sent', 200);
  const p = pruneSeenPairs(s, 150);
  assert.deepEqual([...p.keys()], [metricEventId('D2', 'sent')]);
  assert.equal(s.size, 2);
});
