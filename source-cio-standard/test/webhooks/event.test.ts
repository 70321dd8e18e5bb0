// parseReportingEvent: a Customer.io-shaped payload → typed event; each invalid shape → its own error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReportingEvent } from '../../src/webhooks/event.js';

export const CLICKED = {
  event_id: '01E4C4HDQ7P9Z3YXHJ4RCK0G1P', object_type: 'email', metric: 'clicked', timestamp: 1613063089,
  data: {
    customer_id: '42', identifiers: { id: '42', email: 'person@example.com', cio_id: 'a3000001' },
    delivery_id: 'RAECAAFwnUSneIa0ZXkmq8EdkAM==', campaign_id: 23, action_id: '96', journey_id: '01GQ8JDXS0BVVZPZBMRA2S6PTM',
    trigger_event_id: '01GQ8JDXRZ1F4R3C3W3D5AF3TQ', recipient: 'person@example.com', subject: 'Hi',
    href: 'https://example.com/pricing', link_id: 7, machine: false,
  },
};

test('a clicked email event parses, with numeric-string ids normalised', () => {
  const r = parseReportingEvent(CLICKED);
  assert.ok(r.ok);
  assert.deepEqual(r.event, {
    eventId: '01E4C4HDQ7P9Z3YXHJ4RCK0G1P', objectType: 'email', metric: 'clicked', timestampS: 1613063089,
    customerId: '42', cioId: 'a3000001', email: 'person@example.com', deliveryId: 'RAECAAFwnUSneIa0ZXkmq8EdkAM==',
    campaignId: 23, broadcastId: null, actionId: 96, parentActionId: null, newsletterId: null, contentId: null,
    transactionalMessageId: null, triggerEventId: '01GQ8JDXRZ1F4R3C3W3D5AF3TQ', triggerId: null,
    journeyId: '01GQ8JDXS0BVVZPZBMRA2S6PTM', recipient: 'person@example.com', subject: 'Hi',
    href: 'https://example.com/pricing', linkId: 7, machine: false, failureMessage: null,
  });
  const fromText = parseReportingEvent(JSON.stringify(CLICKED));
  assert.deepEqual(fromText, r);
});

test('customer events parse without a delivery', () => {
  const r = parseReportingEvent({ event_id: 'e1', object_type: 'customer', metric: 'subscribed', timestamp: '1613063089', data: { customer_id: '42', email_address: 'p@example.com', identifiers: { id: '42' } } });
  assert.ok(r.ok);
  assert.equal(r.event.deliveryId, null);
  assert.equal(r.event.email, 'p@example.com');
  assert.equal(r.event.timestampS, 1613063089);
});

test('each invalid shape gives a specific error', () => {
  const err = (v: unknown): string => { const r = parseReportingEvent(v); assert.ok(!r.ok); return r.error; };
  const d = CLICKED.data;
  assert.match(err('{nope'), /not JSON/);
  assert.match(err([1]), /JSON object/);
  assert.match(err({ ...CLICKED, event_id: '' }), /event_id/);
  assert.match(err({ ...CLICKED, object_type: 'fax' }), /object_type must be one of/);
  assert.match(err({ ...CLICKED, metric: 'Opened!' }), /metric/);
  assert.match(err({ ...CLICKED, timestamp: 'yesterday' }), /timestamp/);
  assert.match(err({ ...CLICKED, timestamp: 1.5e9 + 0.5 }), /timestamp/);
  assert.match(err({ ...CLICKED, data: null }), /data must be an object/);
  assert.match(err({ ...CLICKED, data: { ...d, delivery_id: undefined } }), /data\.delivery_id is required for email/);
  assert.match(err({ ...CLICKED, data: { ...d, campaign_id: 'twenty' } }), /data\.campaign_id must be an integer/);
  assert.match(err({ ...CLICKED, data: { ...d, link_id: {} } }), /data\.link_id/);
  assert.match(err({ ...CLICKED, data: { ...d, machine: 'no' } }), /data\.machine/);
  assert.match(err({ ...CLICKED, data: { ...d, identifiers: 'x' } }), /identifiers/);
  assert.match(err({ ...CLICKED, data: { ...d, journey_id: { a: 1 } } }), /data\.journey_id must be a string/);
  for (const m of [err({ ...CLICKED, object_type: 'fax' })]) assert.ok(m.startsWith('cio webhook: '));
});
