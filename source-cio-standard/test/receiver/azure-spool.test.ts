// The reporting-webhook receiver (a child process running `collect`) on an Azure Blob spool (Azurite,
// started here on 127.0.0.1): every event it acknowledged is read back from the spool, once, through
// the same openSpoolStore the source's webhook reader uses.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openSpoolStore, silentLogger, spoolBatches } from '@cio-dw/common';
import { signReporting } from '@cio-dw/cio-simulator';
import { startAzuriteServer, type AzuriteServer } from '@cio-dw/testkit';
import { eventsOfLines } from '../../src/webhooks/spool-reader.js';
import { SIGNING_KEY, spawnReceiver, tempDir } from '../helpers/receiver.js';

let az: AzuriteServer;
before(async () => { az = await startAzuriteServer({ containers: ['webhooks'] }); });
after(async () => { await az?.close(); });

test('Azure spool: acknowledged events are in the spool exactly once after a graceful stop', async () => {
  const dir = await tempDir('az-cfg');
  const spool = { storage: 'azure' as const, container: 'webhooks', prefix: 'cio/', connection_string: az.connectionString };
  const child = await spawnReceiver({ listen: { host: '127.0.0.1', port: 0 }, signing_key: SIGNING_KEY, spool, retention_hours: 0 }, dir);
  const acked = new Set<string>();
  let failed = 0;
  const worker = async (w: number) => {
    for (let i = 0; i < 50; i++) {
      const id = `az-${w}-${i}`;
      const ts = Math.floor(Date.now() / 1000);
      const body = JSON.stringify({ event_id: id, object_type: 'email', metric: 'opened', timestamp: ts, data: { delivery_id: `d-${id}`, journey_id: `j-${w}` } });
      const r = await fetch(child.url, { method: 'POST', body, signal: AbortSignal.timeout(60_000), headers: { 'x-cio-timestamp': String(ts), 'x-cio-signature': signReporting(body, ts, SIGNING_KEY), 'content-type': 'application/json' } });
      await r.arrayBuffer();
      if (r.status === 200) acked.add(id); else failed++;
    }
  };
  await Promise.all(Array.from({ length: 4 }, (_, w) => worker(w)));
  child.child.kill('SIGTERM');
  assert.equal(await child.exited, 0);
  assert.ok(acked.size >= 150, `only ${acked.size} events acknowledged (${failed} refused)`);
  assert.ok((az.requests().PutBlob ?? 0) > 0, 'the spool objects went to Azure');

  const store = openSpoolStore(spool);
  const counts = new Map<string, number>();
  for await (const b of spoolBatches(store, { beforeMs: Date.now() + 60_000 }, silentLogger)) {
    for (const e of eventsOfLines(b.lines).events) counts.set(e.eventId, (counts.get(e.eventId) ?? 0) + 1);
  }
  await store.close();
  assert.deepEqual([...acked].filter((id) => !counts.has(id)), [], 'acknowledged events lost');
  assert.deepEqual([...counts].filter(([, n]) => n > 1), [], 'no event spooled twice');
});
