// The App API's metrics map mapped to the meanings of Customer.io's metrics file: human_/prefetch_ keys
// are flags of the opened/clicked row (or a further open/click at another time), created/drafted are not
// events, and the newer warehouse columns exist (null when the App API has no value). Literal inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metricEventId, metricRows } from '../src/transforms/metric.js';
import { personRow, deletedPersonRow } from '../src/transforms/person.js';
import { schemaOf } from '../src/streams/stream-kit.js';

const D = 'ag1q6QWq6QUBAAF4_CGoeVX7mFkDbRFu7ek=';
const rowsOf = (metrics: Record<string, number>) => metricRows({ id: D, metrics, failure_message: null }, 1, 0, 10_000);

test('human_/prefetch_ at the same second become the prefetched flag of that row, not rows of their own', () => {
  const rows = rowsOf({ sent: 10, delivered: 11, opened: 20, human_opened: 20, clicked: 30, prefetch_clicked: 30 });
  assert.deepEqual(rows.map((r) => [r['metric'], r['prefetched']]), [['sent', null], ['delivered', null], ['opened', false], ['clicked', true]]);
  assert.ok(!rows.some((r) => String(r['metric']).includes('_')), 'no human_/prefetch_ metric names');
  assert.equal(rows[2]!['event_id'], metricEventId(D, 'opened'), 'the opened row keeps its stable id');
});

test('a human open after a prefetch (Apple Mail Privacy Protection) is a second opened row', () => {
  const rows = rowsOf({ sent: 10, opened: 20, prefetch_opened: 20, human_opened: 500 });
  assert.deepEqual(rows.map((r) => [r['metric'], r['created_at'], r['prefetched']]), [
    ['sent', '1970-01-01T00:00:10.000Z', null],
    ['opened', '1970-01-01T00:00:20.000Z', true],
    ['opened', '1970-01-01T00:08:20.000Z', false],
  ]);
  assert.equal(rows[2]!['event_id'], metricEventId(D, 'human_opened'));
  assert.equal(new Set(rows.map((r) => r['event_id'])).size, 3);
});

test('a human_/prefetch_ key listed before its plain metric is that metric\'s event, with the id it keeps once the plain key is listed', () => {
  const early = rowsOf({ sent: 10, human_opened: 20 });
  const later = rowsOf({ sent: 10, opened: 20, human_opened: 20 });
  assert.deepEqual(early, later);
  assert.equal(early[1]!['event_id'], metricEventId(D, 'opened'));
  // the earliest qualified key is the first open; a later one of the other kind is a further open
  const both = rowsOf({ human_opened: 500, prefetch_opened: 20 });
  assert.deepEqual(both.map((r) => [r['event_id'], r['prefetched']]), [[metricEventId(D, 'opened'), true], [metricEventId(D, 'human_opened'), false]]);
  assert.deepEqual(both, rowsOf({ opened: 20, human_opened: 500, prefetch_opened: 20 }));
});

test('created and drafted are not events: no rows', () => {
  assert.deepEqual(rowsOf({ created: 5, drafted: 6, sent: 10 }).map((r) => r['metric']), ['sent']);
});

test('both kinds at the same second: prefetched unknown (null), never a guess', () => {
  assert.equal(rowsOf({ opened: 20, human_opened: 20, prefetch_opened: 20 })[0]!['prefetched'], null);
});

test('the newer warehouse columns are there, null when the App API has no value, and in the schema', () => {
  const [r] = rowsOf({ sent: 10 });
  const cols = ['proxied', 'prefetched', 'machine', 'user_agent', 'email_client', 'inbox_domain', 'inbox_provider', 'mx_host'];
  for (const c of cols) assert.equal(r![c], null, c);
  const props = schemaOf('metrics').properties as Record<string, { type: string[] }>;
  for (const c of cols) assert.ok(props[c]?.type.includes('null'), `${c} is a nullable column`);
});

test('people: suppressed is null (no documented attribute reports it), never a confident false', () => {
  const customer = { identifiers: { id: '42', email: 'a@example.com', cio_id: 'a3000001' }, attributes: { created_at: '1600000000', email: 'a@example.com' }, timestamps: { email: 1600000100 } };
  assert.equal(personRow(customer, 1)['suppressed'], null);
  assert.equal(personRow({ ...customer, suppressed: true }, 1)['suppressed'], true, 'an explicit boolean from the API is kept');
  assert.equal(deletedPersonRow({ timestamp: 5, customer_identifiers: { cio_id: 'a3000001' } }, 1)['suppressed'], null);
  assert.ok((schemaOf('people').properties as Record<string, { type: string[] }>)['suppressed']!.type.includes('null'));
});
