// Customer.io's browser library (@customerio/cdp-analytics-browser, unchanged) in a real headless
// Chromium, on a page of another origin, pointed at the collector: it posts every call type to the
// short endpoints (/v1/t, /v1/i, … or /v1/b when batching) as text/plain with writeKey in the body,
// after a CORS preflight where needed. Every call read back is compared with what the page sent.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { collectorConfig, KEY, readAll, sourceConfig, startCollector, tempDir } from './helpers/harness.js';
import type { Running } from './helpers/harness.js';
import { launchChromium, startStaticServer } from './helpers/browser.js';
import { startHoldingProxy } from './helpers/holding-proxy.js';
import type { HoldingProxy } from './helpers/holding-proxy.js';

const UMD = fileURLToPath(new URL('../../node_modules/@customerio/cdp-analytics-browser/dist/umd/', import.meta.url));
const keyName = `wk_${createHash('sha256').update(KEY).digest('hex').slice(0, 12)}`;

function page(collectorHost: string, strategy: 'standard' | 'batching'): string {
  const settings = {
    integrations: {
      'Customer.io Data Pipelines': {
        apiKey: KEY, apiHost: `${collectorHost}/v1`, protocol: 'http',
        ...(strategy === 'batching' ? { deliveryStrategy: { strategy: 'batching', config: { size: 3, timeout: 500 } } } : {}),
      },
    },
  };
  return `<!doctype html><html><head><script src="/lib/index.js"></script></head><body><script>
    window.sent = (async () => {
      const [analytics] = await AnalyticsNext.AnalyticsBrowser.load({ writeKey: ${JSON.stringify(KEY)}, cdnSettings: ${JSON.stringify(settings)} });
      const tag = ${JSON.stringify(strategy)};
      await analytics.identify(tag + '-u1', { email: 'b@example.com', plan: 'pro' });
      await analytics.track('Order Completed', { total: 42.5, items: ['a', 'b'] });
      await analytics.page('Docs', 'Pricing', { extra: 1 });
      await analytics.screen('Home Screen', { tab: 'feed' });
      await analytics.group('acme', { name: 'ACME', objectTypeId: '2' });
      await analytics.alias(tag + '-u2', tag + '-u1');
      return 'ok';
    })().catch((e) => 'error: ' + (e && e.stack || e));
  </script></body></html>`;
}

let browser: BrowserContext;
let c: Running;
let proxy: HoldingProxy;
let site: { url: string; close(): Promise<void> };
let dir: string;
before(async () => {
  browser = await launchChromium();
  dir = await tempDir();
  c = await startCollector(collectorConfig(dir));
  proxy = await startHoldingProxy(c.url);
  const host = proxy.url.replace(/^http:\/\//, '');
  site = await startStaticServer(UMD, { '/standard.html': page(host, 'standard'), '/batching.html': page(host, 'batching') });
}, { timeout: 16 * 60_000 });
after(async () => { await browser?.close(); await site?.close(); await proxy?.close(); await c?.close(); });

for (const strategy of ['standard', 'batching'] as const) {
  test(`browser library (${strategy} delivery): every call type reaches its stream with every field as sent`, { timeout: 180_000 }, async () => {
    const from = proxy.requests.length;
    const p = await browser.newPage();
    try {
      await p.goto(`${site.url}/${strategy}.html`);
      assert.equal(await p.evaluate('window.sent'), 'ok');
      // Wait (event-driven, generous deadline) until the six calls are stored.
      const deadline = Date.now() + 120_000;
      const stored = () => proxy.requests.slice(from).filter((r) => r.method === 'POST').reduce((n, r) => {
        const b = JSON.parse(r.body.toString()) as { batch?: unknown[] };
        return n + (Array.isArray(b.batch) ? b.batch.length : 1);
      }, 0);
      while (stored() < 6 || c.collector.writer.stats.calls < stored()) {
        if (Date.now() > deadline) throw new Error(`after 120 s: ${c.collector.writer.stats.calls} call(s) stored of ${stored()} posted (6 expected)`);
        await p.waitForTimeout(100);
      }
    } finally { await p.close(); }
    const posts = proxy.requests.slice(from).filter((r) => r.method === 'POST');
    const paths = [...new Set(posts.map((r) => r.url))].sort();
    assert.deepEqual(paths, strategy === 'batching' ? ['/v1/b'] : ['/v1/a', '/v1/g', '/v1/i', '/v1/p', '/v1/s', '/v1/t']);
    for (const r of posts) {
      assert.equal(r.headers['content-type'], 'text/plain');
      assert.equal(r.headers.authorization, undefined, 'the browser library sends no Authorization header');
    }
    const sent = posts.flatMap((r) => {
      const b = JSON.parse(r.body.toString()) as Record<string, any>;
      return Array.isArray(b.batch) ? b.batch : [b];
    });
    assert.equal(sent.length, 6);
    assert.ok(sent.every((s) => s.writeKey === KEY), 'writeKey in the body');
    const { rows } = await readAll(sourceConfig({ storage: 'local', path: dir }));
    for (const s of sent) {
      const r = rows[s.type]!.find((x) => x.id === s.messageId);
      assert.ok(r, `${s.type} ${s.messageId} read back`);
      const expect: Record<string, unknown> = {
        user_id: s.userId ?? null, anonymous_id: s.anonymousId ?? null, context: s.context ?? null, integrations: s.integrations ?? null,
        metadata: s._metadata ?? null, original_timestamp: new Date(s.timestamp).toISOString(),
        sent_at: s.sentAt ? new Date(s.sentAt).toISOString() : null, source: keyName, validation_error: null,
      };
      if (s.type === 'identify') expect.traits = s.traits;
      if (s.type === 'track') Object.assign(expect, { event_text: s.event, properties: s.properties });
      if (s.type === 'page' || s.type === 'screen') Object.assign(expect, { name: s.name ?? null, category: s.category ?? null, properties: s.properties ?? null });
      if (s.type === 'group') Object.assign(expect, { group_id: s.groupId, traits: s.traits, object_type_id: '2' });
      if (s.type === 'alias') Object.assign(expect, { previous_id: s.previousId });
      for (const [k, v] of Object.entries(expect)) assert.deepEqual(r[k], v, `${strategy} ${s.type}: ${k}`);
      assert.ok(!JSON.stringify(r).includes(KEY), 'the write key is not in the record');
    }
    const pageRow = rows.page!.find((x) => sent.some((s) => s.messageId === x.id));
    assert.equal(pageRow?.category, 'Docs');
    assert.equal(pageRow?.name, 'Pricing');
  });
}
