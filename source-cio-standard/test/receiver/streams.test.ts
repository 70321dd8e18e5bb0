// The webhook streams on their own: offered only with reporting_webhooks; check finds a missing spool;
// STATE names a memory object beside the spool, and a sync whose state was never committed changes
// nothing for the retry (it starts from the committed memory and re-emits what the failed one did).
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger, systemClock, type SyncMode } from '@cio-dw/common';
import { signReporting } from '@cio-dw/cio-simulator';
import { withDefaults, type CioConfig } from '../../src/config.js';
import { createSource } from '../../src/source.js';
import type { WebhookCursor } from '../../src/webhooks/spool-reader.js';
import { SIGNING_KEY, startReceiver, tempDir, webhookSpool } from '../helpers/receiver.js';

const base = withDefaults({ app_api_key: 'k', workspace_id: 9, start_date: '2026-01-01T00:00:00Z' });

async function readSubjects(config: CioConfig, state: WebhookCursor | undefined, mode: SyncMode = 'incremental') {
  const stream = (await createSource().streams(config, { logger: silentLogger, clock: systemClock })).find((s) => s.name === 'subjects')!;
  const rows: Record<string, unknown>[] = []; let last: WebhookCursor | undefined;
  for await (const it of stream.read({ config, state, syncMode: mode, logger: silentLogger, clock: systemClock, signal: new AbortController().signal })) {
    if (it.kind === 'record') rows.push(it.data); else if (it.kind === 'state') last = it.state as WebhookCursor;
  }
  return { rows: rows.map((r) => r['subject_name']), state: last };
}

test('subjects/outputs are offered only with reporting_webhooks; check reports a missing spool folder', async () => {
  const names = async (c: CioConfig) => (await createSource().streams(c, { logger: silentLogger, clock: systemClock })).map((s) => s.name);
  assert.ok(!(await names(base)).includes('subjects') && !(await names(base)).includes('outputs'));
  const cfg = { ...base, reporting_webhooks: webhookSpool('/nonexistent/cio-spool') };
  assert.ok((await names(cfg)).includes('subjects') && (await names(cfg)).includes('outputs'));
  const { checkWebhookSpool } = await import('../../src/webhooks/spool-check.js');
  const r = await checkWebhookSpool(cfg.reporting_webhooks);
  assert.equal(r.ok, false);
  assert.match(r.message!, /spool folder \/nonexistent\/cio-spool does not exist/);
});

test('memory beside the spool: small state, journeys once, an uncommitted sync does not affect the retry', async () => {
  const spool = await tempDir('mem');
  const rx = await startReceiver(spool);
  const post = async (id: string, journey: string, ts: number) => {
    const body = JSON.stringify({ event_id: id, object_type: 'email', metric: 'sent', timestamp: ts, data: { delivery_id: `d-${id}`, journey_id: journey, campaign_id: 1, action_id: 2 } });
    const now = Math.floor(Date.now() / 1000);
    const r = await fetch(rx.url, { method: 'POST', body, headers: { 'x-cio-timestamp': String(now), 'x-cio-signature': signReporting(body, now, SIGNING_KEY) } });
    assert.equal(r.status, 200);
  };
  const settle = () => new Promise((r) => setTimeout(r, 1100));
  try {
    const config = { ...base, reporting_webhooks: webhookSpool(spool) };
    await post('e1', 'j1', 1000); await post('e2', 'j2', 1001); await post('e3', 'j1', 1002);
    await settle();
    const a = await readSubjects(config, undefined);
    assert.deepEqual(a.rows, ['j1', 'j2']);
    assert.match(a.state!.memory_key!, /^memory\/subjects\/\d{13}-[0-9a-f]{8}\.json\.gz$/);
    assert.ok(JSON.stringify(a.state).length < 200);
    await post('e4', 'j1', 1003); await post('e5', 'j3', 1004);
    await settle();
    const b = await readSubjects(config, a.state); // pretend its STATE never reached the destination
    assert.deepEqual(b.rows, ['j3']);
    const c = await readSubjects(config, a.state); // the retry from the committed state
    assert.deepEqual(c.rows, ['j3'], 'the retry emits what the uncommitted sync emitted: nothing lost, nothing extra');
    const d = await readSubjects(config, c.state);
    assert.deepEqual(d.rows, []);
    assert.deepEqual(d.state, c.state, 'nothing new: the state stays');
    const full = await readSubjects(config, c.state, 'full_refresh');
    assert.deepEqual(full.rows, ['j1', 'j2', 'j3'], 'full refresh starts over with an empty memory');
    const snapshots = await readdir(join(spool, 'memory', 'subjects'));
    assert.ok(snapshots.length >= 3, 'one snapshot per checkpoint, never overwritten');
  } finally { await rx.close(); }
});
