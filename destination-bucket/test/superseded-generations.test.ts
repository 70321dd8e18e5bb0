// superseded_generations: two overwrite syncs of one stream (generation 1, then 2) into a local folder.
// keep (default): both generations' files stay (the never-delete contract; loaders follow the
// manifests). delete: once generation 2 is complete, generation 1's files are gone, manifests stay,
// and an append stream beside it is untouched. An incomplete generation never deletes anything.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BucketConfig } from '../src/config.js';
import { supersededFiles, supersession } from '../src/superseded.js';
import { configured, listFiles, record, runWrite, state, tempDir } from './helpers.js';

const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const props = { id: { type: 'string' } };
const catalog = (generation: number) => ({
  streams: [
    configured('segments', props, { sync_mode: 'full_refresh', destination_sync_mode: 'overwrite', generation_id: generation, minimum_generation_id: generation, sync_id: 10 + generation }),
    configured('deliveries', props, { generation_id: 0, minimum_generation_id: 0, sync_id: 10 + generation }),
  ],
});
const status = (stream: string, s: string) => JSON.stringify({ type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: { stream_descriptor: { name: stream }, status: s } } });
const sync = (generation: number, complete = true) => [
  status('segments', 'STARTED'), status('deliveries', 'STARTED'),
  record('segments', { id: `s${generation}-a` }), record('segments', { id: `s${generation}-b` }),
  record('deliveries', { id: `d${generation}` }),
  state('segments', { generation }), state('deliveries', { generation }),
  ...(complete ? [status('segments', 'COMPLETE'), status('deliveries', 'COMPLETE')] : [status('deliveries', 'COMPLETE')]),
];

async function twoSyncs(mode: 'keep' | 'delete' | undefined, secondComplete = true) {
  const dir = await tempDir('dbk-generations-');
  dirs.push(dir);
  const config: BucketConfig = {
    store: { store_type: 'local', path: dir }, format: { format_type: 'jsonl', compression: 'none' },
    path_template: '{stream}/gen{generation_id}_{sequence}_{part}.{ext}', ...(mode ? { superseded_generations: mode } : {}),
  };
  for (const [generation, complete] of [[1, true], [2, secondComplete]] as const) {
    const r = await runWrite(config, catalog(generation), sync(generation, complete));
    assert.equal(r.code, 0, JSON.stringify(r.messages.filter((m) => m.type !== 'STATE')));
  }
  const files = await listFiles(dir);
  const ids = (prefix: string) => files.filter((f) => f.startsWith(prefix)).flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id)).sort();
  return { files, segments: ids('segments/'), deliveries: ids('deliveries/'), manifests: files.filter((f) => f.startsWith('_manifests/')) };
}

test('keep (the default): after two overwrite syncs both generations are still in the bucket', async () => {
  for (const mode of [undefined, 'keep'] as const) {
    const r = await twoSyncs(mode);
    assert.deepEqual(r.segments, ['s1-a', 's1-b', 's2-a', 's2-b'], `mode ${mode ?? 'default'}`);
    assert.deepEqual(r.deliveries, ['d1', 'd2']);
  }
});

test('delete: once generation 2 is complete, generation 1 of the overwrite stream is deleted; manifests and the append stream stay', async () => {
  const r = await twoSyncs('delete');
  assert.deepEqual(r.segments, ['s2-a', 's2-b']);
  assert.ok(!r.files.some((f) => f.startsWith('segments/gen1_')), r.files.join(', '));
  assert.deepEqual(r.deliveries, ['d1', 'd2']);
  assert.equal(r.manifests.length, 4, 'one data manifest and one final manifest per sync, none deleted');
});

test('delete: a generation that did not complete deletes nothing', async () => {
  const r = await twoSyncs('delete', false);
  assert.deepEqual(r.segments, ['s1-a', 's1-b', 's2-a', 's2-b']);
});

test('supersession and supersededFiles (pure)', () => {
  const s = { stream: 'segments', namespace: null, destination_sync_mode: 'overwrite', generation_id: 5, minimum_generation_id: 5 };
  assert.deepEqual(supersession(s, true), { stream: 'segments', namespace: null, below: 5 });
  assert.equal(supersession(s, false), undefined);
  assert.equal(supersession({ ...s, destination_sync_mode: 'append', minimum_generation_id: 0 }, true), undefined);
  assert.deepEqual(supersession({ ...s, destination_sync_mode: 'append', generation_id: 3, minimum_generation_id: 3 }, true)?.below, 3);
  const file = (stream: string, generation_id: number, key: string, namespace: string | null = null) => ({ stream, namespace, key, generation_id }) as never;
  const manifests = [{ files: [file('segments', 4, 'a'), file('segments', 5, 'b'), file('segments', 1, 'c', 'other'), file('deliveries', 0, 'd')] }];
  assert.deepEqual(supersededFiles(manifests, [{ stream: 'segments', namespace: null, below: 5 }]), ['a']);
});
