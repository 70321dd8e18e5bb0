import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deliveryRow } from '../src/transforms/delivery.js';
import { metricEventId, metricRows } from '../src/transforms/metric.js';
import { attributeRowsOfActivity, attributeRowsOfCustomer, deletedPersonRow, personRow } from '../src/transforms/person.js';
import { deliveryContentRow } from '../src/transforms/delivery-content.js';
import { catalogRow, updatedOf } from '../src/transforms/catalog.js';
import { isoFromSeconds, normaliseId, toInt } from '../src/transforms/values.js';

// Appendix A.6 of the reference (official example), plus customer_identifiers.
const A6 = { action_id: 215, broadcast_id: null, campaign_id: 23, content_id: null, created: 1619137767, customer_id: null, deduplicate_id: 'ag1q6QWq6QUBAAF4_CGoeVX7mFkDbRFu7ek=:1619137768', failure_message: null, forgotten: false, id: 'ag1q6QWq6QUBAAF4_CGoeVX7mFkDbRFu7ek=', metrics: { delivered: 1619137768, sent: 1619137768 }, msg_template_id: 43, newsletter_id: null, parent_action_id: null, recipient: 'person@example.com', subject: 'Did you get that thing I sent you?', trigger_event_id: null, type: 'email', customer_identifiers: { id: null, email: 'person@example.com', cio_id: 'a3000001' } };

test('deliveryRow maps an App API delivery to the 14 standard columns (+ extras)', () => {
  const r = deliveryRow(A6, 111528);
  assert.deepEqual(Object.keys(r).slice(0, 14), ['workspace_id', 'delivery_id', 'internal_customer_id', 'subject_id', 'event_id', 'delivery_type', 'campaign_id', 'action_id', 'newsletter_id', 'content_id', 'trigger_id', 'created_at', 'transactional_message_id', 'seq_num']);
  assert.equal(r['workspace_id'], 111528);
  assert.equal(r['delivery_id'], 'ag1q6QWq6QUBAAF4_CGoeVX7mFkDbRFu7ek=');
  assert.equal(r['internal_customer_id'], 'a3000001');
  assert.equal(r['delivery_type'], 'email');
  assert.equal(r['campaign_id'], 23);
  assert.equal(r['action_id'], 215);
  assert.equal(r['newsletter_id'], null);
  assert.equal(r['created_at'], '2021-04-23T00:29:27.000Z');
  assert.equal(r['recipient'], 'person@example.com');
  assert.equal(r['forgotten'], false);
});

test('metricRows unrolls the metrics map within (after, until], oldest first, with stable event ids', () => {
  const m = { ...A6, metrics: { sent: 100, delivered: 105, opened: 200, clicked: '300' } };
  const all = metricRows(m, 1, 0, 1000);
  assert.deepEqual(all.map((r) => r['metric']), ['sent', 'delivered', 'opened', 'clicked']);
  assert.equal(all[3]!['created_at'], isoFromSeconds(300));
  assert.equal(all[0]!['event_id'], metricEventId(A6.id, 'sent'));
  assert.notEqual(metricEventId(A6.id, 'sent'), metricEventId(A6.id, 'opened'));
  assert.equal(metricEventId('d1', 'sent'), metricEventId('d1', 'sent'));
  assert.equal(metricEventId('d1', 'sent').length, 32);
  assert.deepEqual(metricRows(m, 1, 105, 250).map((r) => r['metric']), ['opened']);
  assert.deepEqual(metricRows({ id: 'x', metrics: null }, 1, 0, 10), []);
  const failed = metricRows({ id: 'x', failure_message: 'Liquid error', metrics: { failed: 5 } }, 1, 0, 10);
  assert.equal(failed[0]!['reason'], 'Liquid error');
});

const CUSTOMER = { attributes: { cio_id: 'a3000002', id: '42', email: 'a@example.com', created_at: '1000', plan: 'pro' }, devices: null, id: '42', identifiers: { id: '42', email: 'a@example.com', cio_id: 'a3000002' }, timestamps: { cio_id: 1000, id: 1000, email: 1000, created_at: 1000, plan: 5000 }, unsubscribed: false };

test('personRow: standard people columns, updated_at = latest attribute change', () => {
  assert.deepEqual(personRow(CUSTOMER, 9), {
    workspace_id: 9, customer_id: '42', internal_customer_id: 'a3000002', deleted: false, suppressed: null,
    created_at: isoFromSeconds(1000), updated_at: isoFromSeconds(5000), email_addr: 'a@example.com',
  });
  const emailOnly = personRow({ attributes: { email: 'b@x.io', cio_id: 'a3' }, identifiers: { id: null, email: 'b@x.io', cio_id: 'a3' }, timestamps: {} }, 9);
  assert.equal(emailOnly['customer_id'], null);
  assert.equal(emailOnly['created_at'], '1970-01-01T00:00:00.000Z');
});

test('deletedPersonRow comes from a profile_delete activity', () => {
  const r = deletedPersonRow({ id: '01X', type: 'profile_delete', timestamp: 7000, customer_id: '42', customer_identifiers: { id: '42', email: 'a@example.com', cio_id: 'a3000002' }, data: null }, 9);
  assert.equal(r['deleted'], true);
  assert.equal(r['internal_customer_id'], 'a3000002');
  assert.equal(r['updated_at'], isoFromSeconds(7000));
});

test('attribute rows: one per current attribute (with its own time) and one per change', () => {
  const rows = attributeRowsOfCustomer(CUSTOMER, 9);
  assert.equal(rows.length, 5);
  const plan = rows.find((r) => r['attribute_name'] === 'plan')!;
  assert.deepEqual(plan, { workspace_id: 9, internal_customer_id: 'a3000002', attribute_name: 'plan', attribute_value: 'pro', timestamp: isoFromSeconds(5000) });
  // Appendix A.10: attribute_change data
  const change = attributeRowsOfActivity({ id: '01A', type: 'attribute_change', timestamp: 1397566226, customer_identifiers: { cio_id: 'a3000001' }, data: { email: { from: 'newPerson@example.com', to: 'newPerson@customer.io' } } }, 9);
  assert.deepEqual(change, [{ workspace_id: 9, internal_customer_id: 'a3000001', attribute_name: 'email', attribute_value: 'newPerson@customer.io', timestamp: isoFromSeconds(1397566226) }]);
  const removed = attributeRowsOfActivity({ timestamp: 1, customer_identifiers: { cio_id: 'c' }, data: { plan: { from: 'pro', to: null } } }, 9);
  assert.equal(removed[0]!['attribute_value'], null);
});

test('deliveryContentRow: the documented archived_message response (getArchivedMessage example) mapped to the Content columns', () => {
  // Verbatim shape of docs.customer.io/integrations/api/app/tag/messages/getArchivedMessage/ (values shortened).
  const archived = {
    id: 'dgOq6QWq6QUBAAF4_CGoeVX7mFkDbRFu7ek=', body: '<h1>Hello World</h1>', from: 'sentFrom@example.com', reply_to: 'replyto@example.com',
    recipient: 'person@example.com', subject: 'Did you get that thing I sent you?', cc: 'string', bcc: 'string', fake_bcc: true,
    preheader_text: 'string', url: 'https://example.com/webhook', request_method: 'POST',
    headers: '[{"name":"X-Mailgun-Tag","value":"my-cool-tag"}]', forgotten: false,
  };
  const r = deliveryContentRow(archived, { id: 'dgOq6QWq6QUBAAF4_CGoeVX7mFkDbRFu7ek=', type: 'webhook', campaign_id: 3, action_id: '9' }, 5);
  assert.deepEqual(r, {
    workspace_id: 5, delivery_id: 'dgOq6QWq6QUBAAF4_CGoeVX7mFkDbRFu7ek=', campaign_id: 3, action_id: 9, newsletter_id: null, content_id: null,
    from: 'sentFrom@example.com', reply_to: 'replyto@example.com', bcc: 'string', recipient: 'person@example.com',
    subject: 'Did you get that thing I sent you?', body: '<h1>Hello World</h1>', body_amp: null, body_plain: null,
    preheader: 'string', url: 'https://example.com/webhook', method: 'POST', headers: '[{"name":"X-Mailgun-Tag","value":"my-cool-tag"}]', type: 'webhook',
  });
  const e = deliveryContentRow({ from: 'Team <t@x.io>', subject: 'Hi', preheader_text: 'p', headers: null }, { id: 'd2', type: 'email' }, 5);
  assert.equal(e['type'], 'email', 'type comes from the delivery: the response has none');
  assert.equal(e['preheader'], 'p');
  assert.equal(e['headers'], null);
});

test('catalog rows keep App API names and normalise string ids', () => {
  const r = catalogRow({ id: '3', name: 'x', actions: [{ id: '6', type: 'email' }, { id: 7, type: 'push' }] }, { campaign_id: 5 });
  assert.equal(r['id'], 3);
  assert.deepEqual(r['actions'], [{ id: 6, type: 'email' }, { id: 7, type: 'push' }]);
  assert.equal(r['campaign_id'], 5);
  assert.equal(normaliseId('abc'), 'abc');
  assert.equal(toInt('12x'), null);
  assert.equal(updatedOf({ updated: 10 }, 'updated'), 10);
  assert.equal(updatedOf({ updated_at: 11 }, 'updated_at'), 11);
  assert.equal(updatedOf({ created: 4 }, 'updated'), 4);
});
