// The s3rver test-server helper itself: start, buckets, counters, shim, close.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startS3TestServer } from '../src/s3-server.js';

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

describe('startS3TestServer', () => {
  it('runs independent servers in parallel, creates buckets, counts requests, and cleans up on close', async () => {
    const [a, b] = await Promise.all([startS3TestServer(), startS3TestServer({ buckets: [] })]);
    try {
      assert.notEqual(a.port, b.port);
      assert.equal(a.bucket, 'test-bucket');
      assert.equal(b.bucket, undefined);
      assert.ok(alive(a.pid) && alive(b.pid));
      const cb = new S3Client({ ...b.s3Options, maxAttempts: 1 });
      await assert.rejects(cb.send(new PutObjectCommand({ Bucket: 'test-bucket', Key: 'k', Body: 'x' })), { name: 'NoSuchBucket' });
      await b.createBucket('made-later');
      await cb.send(new PutObjectCommand({ Bucket: 'made-later', Key: 'k', Body: 'x' }));
      // the If-None-Match shim answers 412 on an existing key and lets a new key through
      await assert.rejects(cb.send(new PutObjectCommand({ Bucket: 'made-later', Key: 'k', Body: 'y', IfNoneMatch: '*' })),
        (e: { name?: string; $metadata?: { httpStatusCode?: number } }) => e.name === 'PreconditionFailed' && e.$metadata?.httpStatusCode === 412);
      await cb.send(new PutObjectCommand({ Bucket: 'made-later', Key: 'k2', Body: 'y', IfNoneMatch: '*' }));
      const req = await b.requests();
      assert.equal(req.PutObject, 4);
      assert.equal(req.PreconditionFailed, 1);
      assert.deepEqual(await a.requests(), {});
      await b.resetRequests();
      assert.deepEqual(await b.requests(), {});
      cb.destroy();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    assert.ok(!alive(a.pid) && !alive(b.pid), 'child processes are gone');
    await assert.rejects(stat(a.dir), { code: 'ENOENT' });
    await assert.rejects(a.requests(), /closed/);
    await a.close(); // idempotent
  });

  it('the child exits by itself when the parent process dies without close()', async () => {
    const helper = new URL('../src/s3-server.ts', import.meta.url).href;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e',
      `const m = await import(${JSON.stringify(helper)}); const s = await m.startS3TestServer(); console.log(s.pid + ' ' + s.dir); process.exit(0);`],
    { encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    const [pidText, dir] = out.trim().split(' ');
    const pid = Number(pidText);
    assert.ok(pid > 0);
    for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
    assert.ok(!alive(pid), 'orphaned s3 test server still running');
    if (dir) await import('node:fs/promises').then((fs) => fs.rm(dir, { recursive: true, force: true }));
  });
});
