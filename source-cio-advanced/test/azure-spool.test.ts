// The collector's promises on an Azure Blob spool (Azurite, started here on 127.0.0.1): kill -9 under
// load loses no acknowledged call and duplicates none; two collector processes share one spool while
// the source reads it, with no loss and no duplicates.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startAzuriteServer, type AzuriteServer } from '@cio-dw/testkit';
import type { AdvancedConfig } from '../src/streams/config.js';
import { KEY, SECRET, readAll, sourceConfig, spawnCollector, tempDir } from './helpers/harness.js';
import { startLoad } from './helpers/load.js';
import { assertReplicasEmitEachCallOnce } from './helpers/replicas.js';

let az: AzuriteServer;
before(async () => { az = await startAzuriteServer({ containers: ['spool-container'] }); });
after(async () => { await az?.close(); });

const spoolAt = (prefix: string) => ({ storage: 'azure' as const, container: 'spool-container', prefix, connection_string: az.connectionString });

test('Azure spool: kill -9 under load loses no acknowledged call and duplicates none', async () => {
  const dir = await tempDir('az-crash');
  const spool = spoolAt('crash/');
  const child = await spawnCollector({
    listen: { host: '127.0.0.1', port: 0 }, write_keys: [KEY], webhook_secret: SECRET,
    spool, retention_hours: 0, group_commit: { window_ms: 2 },
  }, dir);
  const load = startLoad([child.url], { workers: 8, batchSize: 25, tag: 'crash' });
  // Wait (event by event, generously) until a good amount has been acknowledged, then kill without warning.
  const deadline = Date.now() + 120_000;
  while (load.acked.size < 1500 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  child.child.kill('SIGKILL');
  assert.equal(await child.exited, null);
  const { acked } = await load.stop();
  assert.ok(acked.size >= 500, `only ${acked.size} calls acknowledged before the kill`);

  const { rows } = await readAll(sourceConfig(spool, { dedup_window_minutes: 0 }));
  const counts = new Map<string, number>();
  for (const r of Object.values(rows).flat()) counts.set(String(r.id), (counts.get(String(r.id)) ?? 0) + 1);
  const missing = [...acked].filter((id) => !counts.has(id));
  assert.deepEqual(missing, [], `${missing.length} acknowledged calls lost`);
  assert.deepEqual([...counts].filter(([, n]) => n > 1), []);
  for (const id of counts.keys()) assert.match(id, /^crash-\d+-\d+$/);
});

test('Azure spool: two collectors, one spool, reads during and after the load', async () => {
  const dir = await tempDir('az-two');
  const spool = spoolAt('two/');
  const common = { listen: { host: '127.0.0.1', port: 0 }, write_keys: [KEY], spool, retention_hours: 0, max_write_ms: 5000, group_commit: { window_ms: 5 } };
  const a = await spawnCollector({ ...common, collector_id: 'a' }, dir, 'a');
  const b = await spawnCollector({ ...common, collector_id: 'b' }, dir, 'b');
  const load = startLoad([a.url, b.url], { workers: 8, batchSize: 10, tag: 'az', maxCalls: 2000 });
  const cfg: AdvancedConfig = sourceConfig(spool, { settle_seconds: 1, dedup_window_minutes: 0 });
  // The first spool write of each replica loads the Azure SDK: wait (generously) until both have acknowledged calls.
  const deadline = Date.now() + 120_000;
  while (load.acked.size < 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  const emitted = await assertReplicasEmitEachCallOnce(cfg, a, b, load);
  assert.ok(emitted.some((id) => id.startsWith('az-')));
  assert.ok(az.requests().PutBlob! > 0, 'the spool objects went to Azure');
});
