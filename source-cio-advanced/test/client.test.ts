// Customer.io's official Node library (@customerio/cdp-analytics-node), pointed at the collector:
// every call type lands in the right stream with the right columns.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analytics } from '@customerio/cdp-analytics-node';
import { collectorConfig, KEY, readAll, sourceConfig, startCollector, tempDir } from './helpers/harness.js';

test('official cdp-analytics-node client → collector → read', async () => {
  const dir = await tempDir();
  const c = await startCollector(collectorConfig(dir));
  try {
    const analytics = new Analytics({ writeKey: KEY, host: c.url, flushInterval: 50, maxEventsInBatch: 4 });
    const errors: unknown[] = [];
    analytics.on('error', (e) => errors.push(e));
    const ts = new Date('2026-03-04T05:06:07.000Z');
    analytics.identify({ userId: 'user-1', traits: { email: 'a@example.com', plan: 'pro' }, timestamp: ts });
    analytics.track({ userId: 'user-1', event: 'Order Completed', properties: { total: 42.5, items: ['a', 'b'] } });
    analytics.track({ anonymousId: 'anon-1', event: 'Signed Up' });
    analytics.page({ userId: 'user-1', name: 'Pricing', category: 'Docs', properties: { url: 'https://example.com/pricing' } });
    analytics.screen({ userId: 'user-1', name: 'Home Screen', properties: { tab: 'feed' } });
    analytics.group({ userId: 'user-1', groupId: 'acme', traits: { name: 'ACME', employees: 329 } });
    analytics.alias({ userId: 'user-1', previousId: 'anon-1' });
    await analytics.closeAndFlush({ timeout: 10_000 });
    assert.deepEqual(errors, []);

    const { rows } = await readAll(sourceConfig({ storage: 'local', path: dir }));
    const count = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v.length]));
    assert.deepEqual(count, { identify: 1, track: 2, page: 1, screen: 1, group: 1, alias: 1 });
    const id = rows.identify![0]!;
    assert.equal(id.user_id, 'user-1');
    assert.deepEqual(id.traits, { email: 'a@example.com', plan: 'pro' });
    assert.equal(id.timestamp, ts.toISOString());
    assert.equal((id.context as { library: { name: string } }).library.name, '@customerio/cdp-analytics-node');
    assert.ok(typeof id.id === 'string' && id.id.length > 0);
    const order = rows.track!.find((r) => r.event_text === 'Order Completed')!;
    assert.equal(order.event, 'order_completed');
    assert.deepEqual(order.properties, { total: 42.5, items: ['a', 'b'] });
    const signed = rows.track!.find((r) => r.event_text === 'Signed Up')!;
    assert.equal(signed.anonymous_id, 'anon-1');
    assert.equal(signed.user_id, null);
    const page = rows.page![0]!;
    assert.equal(page.name, 'Pricing');
    assert.equal((page.properties as Record<string, unknown>).url, 'https://example.com/pricing');
    assert.equal(rows.screen![0]!.name, 'Home Screen');
    assert.deepEqual(rows.screen![0]!.properties, { tab: 'feed' });
    const group = rows.group![0]!;
    assert.equal(group.group_id, 'acme');
    assert.equal(group.object_type_id, '1');
    assert.deepEqual(group.traits, { name: 'ACME', employees: 329 });
    assert.equal(rows.alias![0]!.previous_id, 'anon-1');
    assert.equal(rows.alias![0]!.user_id, 'user-1');
    const ids = Object.values(rows).flat().map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'unique messageIds');
  } finally {
    await c.close();
  }
});
