// The official Node libraries, unchanged, pointed at the collector through a proxy that records what
// they send and drops the answer to their first request (so they retry): Customer.io's
// @customerio/cdp-analytics-node and Segment's @segment/analytics-node. Every call type, batching,
// retries; every field read back is compared with the call as the library sent it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { Analytics as CioAnalytics } from '@customerio/cdp-analytics-node';
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import { collectorConfig, KEY, readAll, sourceConfig, startCollector, tempDir } from './helpers/harness.js';
import { startHoldingProxy } from './helpers/holding-proxy.js';

type Call = Record<string, any>;
interface Client {
  identify(c: Call): void; track(c: Call): void; page(c: Call): void; screen(c: Call): void; group(c: Call): void; alias(c: Call): void;
  on(ev: 'error', f: (e: unknown) => void): unknown;
  closeAndFlush(o: { timeout: number }): Promise<unknown>;
}

const ts = new Date('2026-03-04T05:06:07.000Z');
function sendEverything(a: Client, tag: string): number {
  a.identify({ userId: `${tag}-u1`, traits: { email: 'a@example.com', plan: 'pro', nested: { deep: [1, 2, { x: null }] } }, timestamp: ts });
  a.track({ userId: `${tag}-u1`, event: 'Order Completed', properties: { total: 42.5, items: ['a', 'b'] }, context: { ip: '10.1.2.3' } });
  a.track({ anonymousId: `${tag}-anon`, event: 'Signed Up', integrations: { All: false, Webhook: true } });
  a.page({ userId: `${tag}-u1`, name: 'Pricing', category: 'Docs', properties: { url: 'https://example.com/pricing' } });
  a.screen({ userId: `${tag}-u1`, name: 'Home Screen', properties: { tab: 'feed' } });
  a.group({ userId: `${tag}-u1`, groupId: 'acme', traits: { name: 'ACME', employees: 329, objectTypeId: '2' } });
  a.group({ anonymousId: `${tag}-anon`, groupId: 'solo' }); // a group call needs no user (it gets the SDK's anonymousId rule)
  a.alias({ userId: `${tag}-u1`, previousId: `${tag}-anon` });
  for (let i = 0; i < 12; i++) a.track({ userId: `${tag}-u2`, event: 'Bulk', properties: { i } });
  return 20;
}

const keyName = `wk_${createHash('sha256').update(KEY).digest('hex').slice(0, 12)}`;
const iso = (v: unknown) => (v === undefined || v === null ? null : new Date(String(v)).toISOString());

async function roundTrip(tag: string, make: (host: string) => Client): Promise<void> {
  const dir = await tempDir();
  const c = await startCollector(collectorConfig(dir));
  const proxy = await startHoldingProxy(c.url);
  try {
    proxy.dropAnswers(1, (r) => r.method === 'POST'); // the first batch lands, its answer is lost: the library retries
    const a = make(proxy.url);
    const errors: unknown[] = [];
    a.on('error', (e) => errors.push(e));
    const n = sendEverything(a, tag);
    await a.closeAndFlush({ timeout: 30_000 });
    assert.deepEqual(errors, []);
    const posts = proxy.requests.filter((r) => r.method === 'POST');
    assert.ok(posts[0]!.answerDropped && posts.length >= 2, `${posts.length} request(s)`);
    const idsOf = (b: Buffer) => (JSON.parse(b.toString()) as { batch: Call[] }).batch.map((x) => x.messageId as string).join(',');
    assert.ok(posts.slice(1).some((p) => idsOf(p.body) === idsOf(posts[0]!.body)), 'the library resent the batch whose answer was lost');
    // What the library sent (each call once; the envelope's sentAt with it).
    const sent = new Map<string, { call: Call; sentAt?: string }>();
    for (const p of posts) {
      const body = JSON.parse(p.body.toString()) as { batch: Call[]; sentAt?: string };
      assert.ok(body.batch.length > 1, 'the library batches');
      // The first copy is the one emitted (a retry may carry a new envelope sentAt; it is a duplicate).
      for (const call of body.batch) if (!sent.has(call.messageId)) sent.set(call.messageId, { call, ...(body.sentAt ? { sentAt: body.sentAt } : {}) });
    }
    assert.equal(sent.size, n);
    const { rows } = await readAll(sourceConfig({ storage: 'local', path: dir }));
    const all = Object.entries(rows).flatMap(([stream, rs]) => rs.map((r) => ({ stream, r })));
    assert.equal(all.length, n, 'every call once (the retried batch dropped as duplicates)');
    for (const { stream, r } of all) {
      const s = sent.get(String(r.id));
      assert.ok(s, `row ${String(r.id)} was sent`);
      const { call } = s;
      assert.equal(stream, call.type);
      const expect: Record<string, unknown> = {
        user_id: call.userId ?? null, anonymous_id: call.anonymousId ?? null, context: call.context ?? null,
        integrations: call.integrations ?? null, metadata: call._metadata ?? null, channel: call.channel ?? null,
        original_timestamp: iso(call.originalTimestamp ?? call.timestamp), sent_at: iso(call.sentAt ?? s.sentAt),
        source: keyName, validation_error: null,
      };
      if (call.type === 'identify') expect.traits = call.traits ?? null;
      if (call.type === 'track') Object.assign(expect, { event_text: call.event, properties: call.properties ?? null, group_id: null });
      if (call.type === 'page' || call.type === 'screen') Object.assign(expect, { name: call.name ?? null, category: call.category ?? call.properties?.category ?? null, properties: call.properties ?? null });
      if (call.type === 'group') Object.assign(expect, { group_id: call.groupId, traits: call.traits ?? null, object_type_id: call.traits?.objectTypeId ?? '1' });
      if (call.type === 'alias') expect.previous_id = call.previousId;
      for (const [k, v] of Object.entries(expect)) assert.deepEqual(r[k], v, `${tag} ${call.type} ${String(r.id)}: ${k}`);
      const extra = Object.keys(r).filter((k) => !(k in expect) && !['id', 'received_at', 'timestamp', 'event'].includes(k));
      assert.deepEqual(extra, [], 'every column compared');
      if (call.type === 'track') assert.equal(r.event, String(call.event).toLowerCase().replace(/[^a-z0-9]+/g, '_'));
      const received = Date.parse(String(r.received_at));
      assert.ok(Math.abs(Date.now() - received) < 300_000, 'received now');
      const original = Date.parse(String(call.originalTimestamp ?? call.timestamp ?? NaN));
      const sentAt = Date.parse(String(call.sentAt ?? s.sentAt ?? NaN));
      const want = Number.isNaN(original) ? received : Number.isNaN(sentAt) ? original : received - (sentAt - original);
      assert.equal(r.timestamp, new Date(want).toISOString(), `${tag} ${String(r.id)}: corrected timestamp`);
    }
    assert.equal(all.find(({ r }) => r.traits && (r.traits as Call).objectTypeId === '2')?.r.object_type_id, '2');
  } finally {
    await proxy.close();
    await c.close();
  }
}

test('@customerio/cdp-analytics-node: every call type, batched, retried after a lost answer; every field as sent', async () => {
  await roundTrip('cio', (host) => new CioAnalytics({ writeKey: KEY, host, flushInterval: 200, maxEventsInBatch: 8, maxRetries: 5 }) as unknown as Client);
});

test('@segment/analytics-node: every call type, batched, retried after a lost answer; every field as sent', async () => {
  await roundTrip('seg', (host) => new SegmentAnalytics({ writeKey: KEY, host, flushInterval: 200, flushAt: 8, maxRetries: 5 }) as unknown as Client);
});
