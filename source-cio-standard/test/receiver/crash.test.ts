// kill -9 the receiver (a child process running `collect`) under load: every event it acknowledged
// is in the spool afterwards (and read by the metrics stream's spool reader exactly once).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocalFolderStore, silentLogger, spoolBatches } from '@cio-dw/common';
import { signReporting } from '@cio-dw/cio-simulator';
import { eventsOfLines } from '../../src/webhooks/spool-reader.js';
import { SIGNING_KEY, spawnReceiver, tempDir } from '../helpers/receiver.js';

test('kill -9 under load loses no acknowledged event', async () => {
  const dir = await tempDir('crash-cfg');
  const spool = await tempDir('crash-spool');
  const child = await spawnReceiver({
    listen: { host: '127.0.0.1', port: 0 }, signing_key: SIGNING_KEY, spool: { storage: 'local', path: spool }, retention_hours: 0,
  }, dir);
  const acked = new Set<string>();
  let running = true; let seq = 0; let failed = 0;
  const worker = async (w: number) => {
    while (running) {
      const id = `crash-${w}-${seq++}`;
      const ts = Math.floor(Date.now() / 1000);
      const body = JSON.stringify({ event_id: id, object_type: 'email', metric: 'opened', timestamp: ts, data: { delivery_id: `d-${id}`, journey_id: `j-${w}` } });
      try {
        const r = await fetch(child.url, { method: 'POST', body, headers: { 'x-cio-timestamp': String(ts), 'x-cio-signature': signReporting(body, ts, SIGNING_KEY), 'content-type': 'application/json' } });
        await r.arrayBuffer();
        if (r.status === 200) acked.add(id); else failed++;
      } catch { failed++; await new Promise((r) => setTimeout(r, 5)); }
    }
  };
  const workers = Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));
  for (let i = 0; i < 400 && acked.size < 1500; i++) await new Promise((r) => setTimeout(r, 25));
  child.child.kill('SIGKILL');
  assert.equal(await child.exited, null);
  running = false;
  await workers;
  assert.ok(acked.size >= 500, `only ${acked.size} events acknowledged before the kill`);

  const store = new LocalFolderStore(spool, { domain: 'spool' });
  const counts = new Map<string, number>();
  for await (const b of spoolBatches(store, { beforeMs: Date.now() + 60_000 }, silentLogger)) {
    for (const e of eventsOfLines(b.lines).events) counts.set(e.eventId, (counts.get(e.eventId) ?? 0) + 1);
  }
  await store.close();
  const missing = [...acked].filter((id) => !counts.has(id));
  assert.deepEqual(missing, [], `${missing.length} acknowledged events lost`);
  assert.deepEqual([...counts].filter(([, n]) => n > 1), [], 'no event spooled twice');
});
