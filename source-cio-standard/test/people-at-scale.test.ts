// People at scale: above people_export_threshold a full read goes through the exports API (one file,
// streamed), a handful of requests instead of N/1000 + N/100; the shared snapshot spills to a file past
// its memory bound instead of making the second stream read everyone again; export tokens resume.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CsvRows } from '../src/transforms/csv-rows.js';
import { keys, runSync, startSim } from './helpers/sim-sync.js';

test('CsvRows: quotes, doubled quotes, commas and line breaks in fields, CRLF, any chunking (literal input)', () => {
  const text = 'cio_id,id,email,note\r\na3000001,42,a@example.com,"hello, ""you""\nthere"\r\na3000002,,b@example.com,\n';
  const want = [['cio_id', 'id', 'email', 'note'], ['a3000001', '42', 'a@example.com', 'hello, "you"\nthere'], ['a3000002', '', 'b@example.com', '']];
  for (const size of [1, 2, 3, 7, text.length]) {
    const csv = new CsvRows();
    const rows: string[][] = [];
    for (let i = 0; i < text.length; i += size) rows.push(...csv.push(text.slice(i, i + size)));
    rows.push(...csv.end());
    assert.deepEqual(rows, want, `chunks of ${size}`);
  }
  assert.throws(() => { const c = new CsvRows(); c.push('a,"b'); c.end(); }, /quoted field/);
});

test('100 000 people: the first sync reads them through one export, in a handful of requests', async (t) => {
  const sim = await startSim({ people: 100_000, deliveries: 0, activities: 0, exportPendingPolls: 2 });
  try {
    const t0 = Date.now();
    const r = await runSync(sim, { streams: ['people'], deps: { exportPollMs: 5 } });
    const ms = Date.now() - t0;
    assert.equal(r.error, undefined, String(r.error));
    const stats = sim.stats();
    t.diagnostic(`exports path: ${stats.total} requests (${JSON.stringify(stats.byEndpoint)}), ${r.records.get('people')!.length} people in ${ms} ms; search would need ${100 + 1000}`);
    const alive = sim.truth.people().filter((p) => !p.deleted);
    assert.equal(r.records.get('people')!.length, alive.length);
    assert.deepEqual(keys('people', r.records.get('people')).map((k) => k.split('|')[0]), alive.map((p) => p.cio_id).sort());
    const sample = r.records.get('people')!.find((p) => p['internal_customer_id'] === alive[777]!.cio_id)!;
    assert.equal(sample['email_addr'], alive[777]!.email);
    assert.equal(sample['customer_id'], alive[777]!.id);
    assert.equal(sample['created_at'], new Date(alive[777]!.created * 1000).toISOString());
    assert.ok(stats.total <= 10, `${stats.total} requests`);
    assert.equal(stats.byEndpoint['POST /v1/customers'], undefined, 'no search pages');
    assert.equal(stats.byEndpoint['POST /v1/customers/attributes'], undefined, 'no bulk attributes');
    assert.equal(stats.byEndpoint['GET /sim-files/exports/:file']?.['200'], 1, 'the file is downloaded once');
    assert.ok(r.checkpoints.filter((c) => c.stream === 'people').length >= 90, 'a checkpoint per 1000 people');
  } finally { await sim.close(); }
});

test('exports path: people and attributes share one export; resuming from a mid-file checkpoint repeats and loses nothing', async () => {
  const sim = await startSim({ people: 2500, deliveries: 0, activities: 0 });
  try {
    const config = { people_export_threshold: 0, people_export_attributes: ['created_at', 'plan'] };
    const full = await runSync(sim, { streams: ['people', 'attributes'], config, deps: { exportPollMs: 5 } });
    assert.equal(full.error, undefined, String(full.error));
    assert.equal(sim.stats().byEndpoint['POST /v1/exports/customers']?.['200'], 1, 'one export serves both streams');
    const alive = sim.truth.people().filter((p) => !p.deleted);
    const attrs = full.records.get('attributes')!;
    assert.equal(attrs.length, alive.reduce((n, p) => n + ['cio_id', 'id', 'email', 'created_at', 'plan'].filter((a) => p.attributes[a] !== undefined).length, 0));
    const cps = full.checkpoints.filter((c) => c.stream === 'people');
    const mid = cps[1]!;
    assert.match(JSON.stringify(mid.state), /"next":"export:/);
    const again = await runSync(sim, { streams: ['people'], config, state: new Map([['people', mid.state]]), deps: { exportPollMs: 5 } });
    assert.equal(again.error, undefined, String(again.error));
    const rows = full.records.get('people')!;
    const got = [...rows.slice(0, mid.recordsBefore), ...again.records.get('people')!];
    assert.deepEqual(keys('people', got), keys('people', rows));
  } finally { await sim.close(); }
});

test('over the memory bound the shared snapshot spills to a file: people + attributes still read everyone once', async () => {
  const sim = await startSim({ people: 2300, deliveries: 0, activities: 0 });
  try {
    const r = await runSync(sim, { streams: ['people', 'attributes'], deps: { snapshotCacheBytes: 20_000 } });
    assert.equal(r.error, undefined, String(r.error));
    const e = sim.stats().byEndpoint;
    assert.equal(e['POST /v1/customers']?.['200'], 3, 'search pages read once (2300 people, 1000 a page)');
    assert.equal(e['POST /v1/customers/attributes']?.['200'], 23, 'bulk attributes read once');
    const alive = sim.truth.people().filter((p) => !p.deleted);
    assert.equal(r.records.get('people')!.length, alive.length);
    assert.equal(r.records.get('attributes')!.length, alive.reduce((n, p) => n + Object.keys(p.attributes).length, 0));
  } finally { await sim.close(); }
});
