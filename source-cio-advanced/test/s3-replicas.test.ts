// Two collector processes write one S3 spool (a real S3-compatible server on 127.0.0.1) while the
// source reads it: no loss, no duplicates.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startS3TestServer } from '@cio-dw/testkit';
import type { S3TestServer } from '@cio-dw/testkit';
import type { AdvancedConfig, SpoolState } from '../src/streams/config.js';
import { aheadClock, KEY, readAll, sourceConfig, spawnCollector, tempDir } from './helpers/harness.js';
import { startLoad } from './helpers/load.js';

let s3: S3TestServer;
before(async () => { s3 = await startS3TestServer({ buckets: ['spool-bucket'] }); });
after(async () => { await s3.close(); });

test('two collectors, one S3 spool, reads during and after the load', async () => {
  const dir = await tempDir('s3');
  const spool = {
    storage: 's3' as const, bucket: 'spool-bucket', prefix: 'cio/', region: s3.region, endpoint: s3.endpoint,
    force_path_style: true, access_key_id: s3.accessKeyId, secret_access_key: s3.secretAccessKey,
  };
  const common = { listen: { host: '127.0.0.1', port: 0 }, write_keys: [KEY], spool, retention_hours: 0, max_write_ms: 800, group_commit: { window_ms: 5 } };
  const a = await spawnCollector({ ...common, collector_id: 'a' }, dir, 'a');
  const b = await spawnCollector({ ...common, collector_id: 'b' }, dir, 'b');
  const load = startLoad([a.url, b.url], { workers: 8, batchSize: 10, tag: 's3', maxCalls: 2000 });
  const cfg: AdvancedConfig = sourceConfig(spool, { settle_seconds: 1, dedup_window_minutes: 0 });
  const emitted: string[] = [];
  let state: Record<string, SpoolState | undefined> = {};
  // Reads while both replicas keep writing: each ends, and takes only settled objects.
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 400));
    const r = await readAll(cfg, { state, clock: { now: () => Date.now(), sleep: async () => {} } });
    for (const rows of Object.values(r.rows)) emitted.push(...rows.map((x) => String(x.id)));
    state = r.states;
  }
  const { acked } = await load.stop();
  a.child.kill('SIGTERM'); b.child.kill('SIGTERM');
  assert.deepEqual([await a.exited, await b.exited], [0, 0], 'graceful shutdown exits 0');
  const last = await readAll(cfg, { state, clock: aheadClock() });
  for (const rows of Object.values(last.rows)) emitted.push(...rows.map((x) => String(x.id)));
  assert.ok(acked.size >= 200, `only ${acked.size} acknowledged`);
  assert.equal(new Set(emitted).size, emitted.length, 'no call emitted twice');
  const got = new Set(emitted);
  const missing = [...acked].filter((id) => !got.has(id));
  assert.deepEqual(missing, []);
  assert.ok(emitted.some((id) => id.startsWith('s3-')));
});
