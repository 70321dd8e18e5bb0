// Two collector processes write one S3 spool (a real S3-compatible server on 127.0.0.1) while the
// source reads it: no loss, no duplicates.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startS3TestServer } from '@cio-dw/testkit';
import type { S3TestServer } from '@cio-dw/testkit';
import type { AdvancedConfig } from '../src/streams/config.js';
import { KEY, sourceConfig, spawnCollector, tempDir } from './helpers/harness.js';
import { startLoad } from './helpers/load.js';
import { assertReplicasEmitEachCallOnce } from './helpers/replicas.js';

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
  const emitted = await assertReplicasEmitEachCallOnce(cfg, a, b, load);
  assert.ok(emitted.some((id) => id.startsWith('s3-')));
});
