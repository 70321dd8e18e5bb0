// The duplicate filter never counts calls from a spool object whose write was not acknowledged.
// A real S3-compatible server behind a proxy that holds one PutObject: the write lands after the
// collector's limit (503), after a read has moved its cursor past it; the sender resends (200).
// The next read must emit the resent calls (before the fix: "5 duplicate(s) dropped", never emitted).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openSpoolStore, SPOOL_PREFIX } from '@cio-dw/common';
import { startS3TestServer } from '@cio-dw/testkit';
import type { S3TestServer } from '@cio-dw/testkit';
import { aheadClock, collectorConfig, post, readAll, sourceConfig, startCollector, tempDir } from './helpers/harness.js';
import { startHoldingProxy } from './helpers/holding-proxy.js';
import type { HoldingProxy } from './helpers/holding-proxy.js';

let s3: S3TestServer;
let proxy: HoldingProxy;
before(async () => { s3 = await startS3TestServer({ buckets: ['late-bucket'] }); proxy = await startHoldingProxy(s3.endpoint); });
after(async () => { await proxy.close(); await s3.close(); });

test('a late (unacknowledged) write behind the cursor does not make the acknowledged resend a duplicate', async () => {
  const spool = (endpoint: string) => ({
    storage: 's3' as const, bucket: 'late-bucket', prefix: 'late/', region: s3.region, endpoint, force_path_style: true,
    access_key_id: s3.accessKeyId, secret_access_key: s3.secretAccessKey,
  });
  const config = collectorConfig(await tempDir(), { spool: spool(proxy.url), max_write_ms: 3000, group_commit: { window_ms: 0 } });
  const c = await startCollector(config, { store: openSpoolStore(config.spool), writerId: 'late' });
  const settleSeconds = 4; // > max_write_ms, as the docs require; generous so a loaded machine's slow S3 writes are still acknowledged
  const cfg = sourceConfig(spool(s3.endpoint), { settle_seconds: settleSeconds, dedup_window_minutes: 60 });
  try {
    const batch = { batch: Array.from({ length: 5 }, (_, i) => ({ type: 'track', userId: 'u', event: 'Paid', messageId: `late-${i}` })) };
    const isPut = (r: { method?: string; url?: string }) => r.method === 'PUT' && (r.url ?? '').includes('/late/spool/');
    const { held, release } = proxy.holdNext(isPut);
    const first = post(c.url, '/v1/batch', batch);
    await held;
    const heldAt = Date.now(); // the writer took its key time before the PUT reached the proxy
    assert.equal((await post(c.url, '/v1/track', { userId: 'u', event: 'Other', messageId: 'other-1' })).status, 200);
    // A read now: the held object is not visible; the cursor moves past its key.
    const r1 = await readAll(cfg, { clock: aheadClock() });
    assert.deepEqual(r1.rows.track!.map((r) => r.id), ['other-1']);
    // Let the held write land well after key time + settle window (S3 listings show whole seconds;
    // a loaded machine only makes it later), then release it.
    while (Date.now() < heldAt + settleSeconds * 1000 + 1500) await new Promise((r) => setTimeout(r, 50));
    release();
    const late = await first;
    assert.equal(late.status, 503, 'a write slower than max_write_ms is not acknowledged');
    assert.match(late.body.meta.errors[0], /not acknowledged/);
    const keys: string[] = [];
    const store = openSpoolStore(cfg.spool);
    for await (const o of store.list(SPOOL_PREFIX)) keys.push(o.key);
    await store.close();
    assert.equal(keys.length, 2, 'the late object did land in the spool, behind the cursor');
    assert.ok(keys[0]! < r1.states.track!.spool_key!);
    // The sender resends the batch (as an SDK does after a 503) and this time gets 200.
    assert.equal((await post(c.url, '/v1/batch', batch)).status, 200);
    const r2 = await readAll(cfg, { state: r1.states, clock: aheadClock() });
    assert.deepEqual(r2.rows.track!.map((r) => r.id).sort(), ['late-0', 'late-1', 'late-2', 'late-3', 'late-4']);
    const r3 = await readAll(cfg, { state: r2.states, clock: aheadClock() });
    assert.deepEqual(r3.rows.track, [], 'emitted once');
  } finally {
    await c.close();
  }
});
