// A destination process killed (SIGKILL) mid-write leaves no partial objects, and a rerun from the
// last echoed state loses no records. Runs the real CLI as a child process against s3rver.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Store } from '@cio-dw/common';
import { startS3TestServer, type S3TestServer } from '@cio-dw/testkit';
import { configured, lit, record, runWrite, sql, state, tempDir } from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let srv: S3TestServer;
before(async () => {
  const b = spawnSync('npx', ['tsc', '-b', 'destination-bucket'], { cwd: root, stdio: 'inherit' });
  assert.equal(b.status, 0);
  srv = await startS3TestServer({ buckets: ['dw'] });
});
after(async () => { await srv?.close(); });

const batch = (k: number): string[] => [
  ...Array.from({ length: 100 }, (_, i) => record('deliveries', { id: `d${k * 100 + i}`, k })),
  state('deliveries', { batch: k }),
];

test('SIGKILL mid-write: no partial objects; rerun from the last echoed state loses nothing', async () => {
  const dir = await tempDir('dbk-kill-');
  const config = {
    store: { store_type: 's3', bucket: 'dw', prefix: 'kill', region: srv.region, endpoint: srv.endpoint, path_style: true, access_key_id: srv.accessKeyId, secret_access_key: srv.secretAccessKey },
    format: { format_type: 'parquet' }, flush_interval_seconds: 1,
  } as const;
  const catalog = { streams: [configured('deliveries', { id: { type: 'string' }, k: { type: 'integer' } })] };
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  await writeFile(join(dir, 'catalog.json'), JSON.stringify(catalog));
  const child = spawn(process.execPath, ['destination-bucket/bin/destination-bucket.js', 'write', '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json')],
    { cwd: root, stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  let lastState = -1;
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const line of out.split('\n').slice(0, -1)) {
      const m = JSON.parse(line) as { type: string; state?: { stream: { stream_state: { batch: number } } } };
      if (m.type === 'STATE') lastState = Math.max(lastState, m.state!.stream.stream_state.batch);
    }
    out = out.slice(out.lastIndexOf('\n') + 1);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // Feed batches slowly; kill once at least two states came back, while records are still arriving.
  let k = 0;
  for (; k < 300; k++) {
    child.stdin.write(batch(k).join('\n') + '\n');
    await new Promise((r) => setTimeout(r, 100));
    if (lastState >= 2 && k > lastState + 2) break;
  }
  child.kill('SIGKILL');
  await exited;
  assert.ok(lastState >= 2, `states echoed before the kill: ${lastState}`);
  assert.ok(k > lastState, 'records beyond the last state were in flight');

  // No partial objects: every object is a complete Parquet file listed in a manifest.
  const st = new S3Store({ bucket: 'dw', prefix: 'kill', ...srv.s3Options });
  const listed = new Set<string>();
  const data: string[] = [];
  for await (const o of st.list('')) {
    if (o.key.startsWith('_manifests/')) {
      for (const f of JSON.parse(Buffer.from(await st.get(o.key)).toString()).files as { key: string }[]) listed.add(f.key);
    } else data.push(o.key);
  }
  assert.deepEqual(data.filter((key) => !listed.has(key)), []);

  // Rerun from the last echoed state (the source resends everything after it).
  const rest: string[] = [];
  for (let b = lastState + 1; b < k + 5; b++) rest.push(...batch(b));
  const r = await runWrite(config as never, catalog, rest);
  assert.equal(r.code, 0);
  const dl = await tempDir('dbk-dl-');
  const paths: string[] = [];
  for await (const o of st.list('deliveries/')) {
    const p = join(dl, `${paths.length}.parquet`);
    await writeFile(p, await st.get(o.key));
    paths.push(p);
  }
  await st.close();
  const rows = await sql(`SELECT count(DISTINCT id)::INT AS ids, max(k)::INT AS maxk FROM read_parquet([${paths.map(lit).join(',')}])`);
  assert.deepEqual(rows, [{ ids: (k + 5) * 100, maxk: k + 4 }]);
});
