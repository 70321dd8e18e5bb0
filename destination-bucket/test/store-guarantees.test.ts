// The destination's promises, checked on every store kind from one table (store-kinds.ts): never
// overwrite, collision = failure with no state, large files in chunks that read back intact, a failed
// upload leaves no object and no state, manifests list exactly the data files, and a STATE is echoed
// only after the objects holding its records were durably written.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable, Readable } from 'node:stream';
import { ManualClock, runDestinationCli, type ObjectStore } from '@cio-dw/common';
import { createDestination } from '../src/destination.js';
import { createStore } from '../src/store.js';
import type { BucketConfig } from '../src/config.js';
import { downloadAll, lit, runWrite, sql, tempDir } from './helpers.js';
import { STORE_KINDS, UNTESTED_KINDS, type StoreKind } from './store-kinds.js';
import { bigCustomers, catalog, interleaved } from './two-streams.js';

async function objects(st: ObjectStore): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const o of st.list('')) out.set(o.key, Buffer.from(await st.get(o.key)).toString('base64'));
  return out;
}
const dataKeys = (m: Map<string, string>): string[] => [...m.keys()].filter((k) => !k.startsWith('_manifests/'));

/** Downloads the objects with extension `ext` and returns DuckDB rows of `select` over all of them. */
async function readBack(st: ObjectStore, ext: string, reader: (files: string) => string, select: string, tail = ''): Promise<Record<string, unknown>[]> {
  const paths = await downloadAll(st, ext);
  assert.ok(paths.length > 0, `no .${ext} objects`);
  return sql(`SELECT ${select} FROM ${reader(`[${paths.map(lit).join(',')}]`)} ${tail}`);
}

test('every store_type of the spec has a row in the store-kind table, or a stated reason why not', () => {
  const spec = JSON.parse(readFileSync(new URL('../resources/spec.json', import.meta.url), 'utf8'));
  const kinds = spec.connectionSpecification.properties.store.oneOf.map((v: { properties: { store_type: { const: string } } }) => v.properties.store_type.const);
  const tested = STORE_KINDS.map((k) => k().name);
  assert.deepEqual([...kinds].sort(), [...tested, ...Object.keys(UNTESTED_KINDS)].sort());
  for (const reason of Object.values(UNTESTED_KINDS)) assert.ok(reason.length > 40, 'a real reason');
});

for (const makeKind of STORE_KINDS) {
  const kind: StoreKind = makeKind();
  describe(`store kind ${kind.name}`, () => {
    before(() => kind.start());
    after(() => kind.stop());
    const cfg = (prefix: string, format: BucketConfig['format'] = { format_type: 'parquet' }): BucketConfig => ({ store: kind.config(prefix), format });

    test(`${kind.name}: interleaved streams read back whole; a second write to the same prefix only adds objects`, async () => {
      const first = await runWrite(cfg('multi'), catalog, interleaved(0, 200));
      assert.equal(first.code, 0, JSON.stringify(first.messages.filter((m) => m.type === 'TRACE')));
      assert.equal(first.messages.filter((m) => m.type === 'STATE').length, 8);
      const st = kind.reader('multi');
      const before1 = await objects(st);
      assert.deepEqual(new Set(dataKeys(before1).map((k) => k.split('/')[0])), new Set(['deliveries', 'customers']));
      const second = await runWrite(cfg('multi'), catalog, interleaved(200, 300));
      assert.equal(second.code, 0);
      const after2 = await objects(st);
      for (const [k, body] of before1) assert.equal(after2.get(k), body, `object ${k} unchanged`);
      assert.ok(after2.size > before1.size);
      const byStream = await readBack(st, 'parquet', (f) => `read_parquet(${f}, union_by_name=true)`,
        "substr(id, 1, 1) AS s, count(*)::INT AS n, count(DISTINCT id)::INT AS ids", 'GROUP BY ALL ORDER BY s');
      assert.deepEqual(byStream, [{ s: 'c', n: 100, ids: 100 }, { s: 'd', n: 300, ids: 300 }]);
      await st.close();
    });

    test(`${kind.name}: an existing key is never replaced; the collision fails the write and echoes no state`, async () => {
      const clock = new ManualClock(1_800_000_000_000);
      const deps = { random: () => 0.25 };
      const first = await runWrite(cfg('collide'), catalog, interleaved(0, 50), deps, clock);
      assert.equal(first.code, 0);
      const st = kind.reader('collide');
      const before1 = await objects(st);
      clock.set(1_800_000_000_000); // same clock and random: the same sequence, so the same keys
      const second = await runWrite(cfg('collide'), catalog, interleaved(0, 50), deps, clock);
      assert.equal(second.code, 1);
      const trace = second.messages.find((m) => m.type === 'TRACE');
      assert.match(trace!.trace.error.message, /already exists.*refusing to overwrite/);
      assert.equal(second.messages.filter((m) => m.type === 'STATE').length, 0);
      assert.deepEqual(await objects(st), before1);
      await st.close();
    });

    test(`${kind.name}: a large file is uploaded in chunks and reads back intact`, async () => {
      await kind.resetCounts();
      const r = await runWrite(cfg('large', { format_type: 'csv', compression: 'none' }), catalog, bigCustomers('x'.repeat(4000)));
      assert.equal(r.code, 0, JSON.stringify(r.messages.filter((m) => m.type === 'TRACE')));
      const chunks = await kind.chunkUploads();
      if (chunks !== null) assert.ok(chunks >= 2, `chunk uploads: ${chunks}`);
      const st = kind.reader('large');
      assert.equal(dataKeys(await objects(st)).length, 1);
      const rows = await readBack(st, 'csv', (f) => `read_csv(${f}, header=true)`, 'count(*)::INT AS n, count(DISTINCT id)::INT AS ids, min(length(email))::INT AS l');
      assert.deepEqual(rows, [{ n: 3000, ids: 3000, l: 4001 }]);
      await st.close();
    });

    test(`${kind.name}: a failed upload leaves no object, nothing lingering, and no state`, async () => {
      await kind.failLargeUploads('abort');
      let r;
      try {
        r = await runWrite(cfg('abort', { format_type: 'csv', compression: 'none' }), catalog, bigCustomers('y'.repeat(4000)));
      } finally {
        await kind.clearFaults();
      }
      assert.equal(r.code, 1);
      const error = r.messages.find((m) => m.type === 'TRACE' && m.trace.type === 'ERROR')?.trace.error;
      assert.match(error?.message ?? '', kind.failureCause, 'the TRACE names what failed');
      assert.equal(r.messages.filter((m) => m.type === 'STATE').length, 0);
      const st = kind.reader('abort');
      assert.deepEqual(dataKeys(await objects(st)).filter((k) => k.startsWith('customers/')), []);
      await st.close();
      await kind.assertNoLeftovers('abort');
    });

    test(`${kind.name}: manifests list exactly the data objects with their row counts`, async () => {
      const r = await runWrite(cfg('manifests', { format_type: 'jsonl', compression: 'none' }), catalog, interleaved(0, 120));
      assert.equal(r.code, 0);
      const st = kind.reader('manifests');
      const all = await objects(st);
      const listed = new Map<string, number>();
      const manifests = [...all.keys()].filter((k) => k.startsWith('_manifests/'));
      assert.ok(manifests.length >= 2);
      for (const m of manifests) {
        for (const f of JSON.parse(Buffer.from(all.get(m)!, 'base64').toString()).files as { key: string; rows: number }[]) listed.set(f.key, f.rows);
      }
      assert.deepEqual([...listed.keys()].sort(), dataKeys(all).sort());
      for (const [k, rows] of listed) {
        assert.equal(Buffer.from(all.get(k)!, 'base64').toString().split('\n').filter(Boolean).length, rows, k);
      }
      await st.close();
    });

    test(`${kind.name}: each STATE is echoed only after the objects holding its records were durably written`, async () => {
      // One ordered log: 'put <key>' when the store confirmed a write, 'state <stream> <i>' when a STATE line reached stdout.
      const log: string[] = [];
      const destination = createDestination({
        createStore: (c) => {
          const real = createStore(c);
          return { ...real, kind: real.kind, describe: () => real.describe(), close: () => real.close(), get: real.get.bind(real),
            getStream: real.getStream.bind(real), head: real.head.bind(real), list: real.list.bind(real), delete: real.delete.bind(real),
            putNew: async (key, body, opts) => { const res = await real.putNew(key, body, opts); log.push(`put ${key}`); return res; } };
        },
      });
      const dir = await tempDir('dbk-args-');
      await writeFile(join(dir, 'config.json'), JSON.stringify({ ...cfg('durable', { format_type: 'jsonl', compression: 'none' }), flush_rows: 40 }));
      await writeFile(join(dir, 'catalog.json'), JSON.stringify(catalog));
      let pending = '';
      const stdout = new Writable({
        write(chunk, _e, cb) {
          pending += chunk.toString();
          const lines = pending.split('\n');
          pending = lines.pop() ?? '';
          for (const l of lines) {
            const m = JSON.parse(l) as { type: string; state?: { stream: { stream_descriptor: { name: string }; stream_state: { i: number } } } };
            if (m.type === 'STATE') log.push(`state ${m.state!.stream.stream_descriptor.name} ${m.state!.stream.stream_state.i}`);
          }
          cb();
        },
      });
      const input = interleaved(0, 250);
      const code = await runDestinationCli(destination, ['write', '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json')],
        { stdout, stdin: Readable.from(input.map((l) => `${l}\n`)) });
      assert.equal(code, 0);
      const st = kind.reader('durable');
      const idsIn = new Map<string, string[]>();
      for (const k of dataKeys(await objects(st))) {
        idsIn.set(k, Buffer.from(await st.get(k)).toString().split('\n').filter(Boolean).map((l) => String((JSON.parse(l) as { id: string }).id)));
      }
      await st.close();
      const states = log.filter((e) => e.startsWith('state '));
      assert.equal(states.length, 10);
      for (const s of states) {
        const [, stream, i] = s.split(' ');
        const durable = new Set(log.slice(0, log.indexOf(s)).filter((e) => e.startsWith('put ')).flatMap((e) => idsIn.get(e.slice(4)) ?? []));
        const covered = Array.from({ length: Number(i) + 1 }, (_, n) => n).filter((n) => stream === 'deliveries' || n % 3 === 0)
          .map((n) => `${stream === 'deliveries' ? 'd' : 'c'}${n}`);
        assert.deepEqual(covered.filter((id) => !durable.has(id)), [], `${s}: records not yet durable when it was echoed`);
      }
    });
  });
}
