// End to end, as the demo runs it but smaller: simulator + collector + official client → both
// sources → destination-bucket (Parquet) via the standalone runner, twice; each sync's files are
// loaded into DuckDB with the recipe, and the tables are checked against the simulator's ground truth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DemoFlow } from './demo/flow.js';
import { attributeHistory, eventsPerUser, identifyCalls, opensPerCampaign, personRows } from './demo/queries.js';
import { catalogPathFor } from '@cio-dw/runner';
import { loadManifestsIntoDuckDB } from './warehouse/duckdb-loader.js';
import { readStreamKeys } from './warehouse/stream-keys.js';
import { listManifests } from './warehouse/manifests.js';
import { warehouseMetricNames } from './crash/truth-check.js';

test('demo flow end to end: two incremental syncs loaded into DuckDB equal the ground truth', { timeout: 600_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cio-e2e-'));
  const bucket = join(dir, 'bucket');
  const flow = await DemoFlow.start({ bucketDir: bucket, workDir: join(dir, 'work'), seed: 11, people: 80, deliveries: 600, users: 6 });
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  const load = async () => ({
    standard: await loadManifestsIntoDuckDB(conn, { root: join(bucket, 'standard'), keys: await readStreamKeys(catalogPathFor(flow.standard.statePath)) }),
    advanced: await loadManifestsIntoDuckDB(conn, { root: join(bucket, 'advanced'), keys: await readStreamKeys(catalogPathFor(flow.advanced.statePath)) }),
  });
  const one = async (sql: string) => Number(Object.values((await conn.runAndReadAll(sql)).getRowObjectsJS()[0]!)[0]);
  try {
    const { truth } = flow.sim;
    // ---- sync 1
    await flow.sendPhase(1);
    const s1 = await flow.syncAll();
    assert.equal(s1.standard.perStream.deliveries, truth.deliveryCount());
    const l1 = await load();
    assert.ok(l1.standard.manifests > 0 && l1.advanced.manifests > 0);
    assert.equal(await one('SELECT count(*) FROM deliveries'), truth.deliveryCount());
    assert.equal(await one('SELECT count(*) FROM people'), truth.people().length, 'the first sync snapshots every person');

    // ---- changes, more calls, sync 2 (the clock is frozen first, so the truth is exactly what the sync covers)
    const changes = await flow.makeChanges();
    assert.deepEqual(changes.noopPerson.changedNames, [], 'the no-op update changed nothing');
    await flow.sendPhase(2, flow.identifyCallsFor(changes));
    flow.freezeClock();
    const manifestsNow = async () => [...await listManifests(join(bucket, 'standard')), ...await listManifests(join(bucket, 'advanced'))];
    const beforeSync2 = new Set((await manifestsNow()).map((m) => m.manifest.sequence));
    const s2 = await flow.syncAll();
    assert.equal(s2.standard.perStream.deliveries, changes.newDeliveries.length, 'only the new deliveries');
    const l2 = await load();
    assert.ok(l2.standard.manifests > 0 && l2.advanced.manifests > 0);
    const sync2Files = (await manifestsNow()).filter((m) => !beforeSync2.has(m.manifest.sequence)).flatMap((m) => m.manifest.files.map((f) => f.key));

    // deliveries and metrics: exactly the truth, each once
    const messages = truth.messages();
    assert.equal(await one('SELECT count(*) FROM deliveries'), truth.deliveryCount());
    assert.equal(await one('SELECT count(DISTINCT delivery_id) FROM deliveries'), messages.length);
    const truthMetrics = messages.flatMap((m) => warehouseMetricNames(m.metrics as Record<string, number>).map((k) => `${String(m.id)}|${k}`)).sort();
    const loadedMetrics = (await conn.runAndReadAll(`SELECT delivery_id || '|' || metric AS k FROM metrics ORDER BY k`)).getRowObjectsJS().map((r) => String(r.k));
    assert.equal(loadedMetrics.length, truthMetrics.length, 'every metric once');
    assert.deepEqual(loadedMetrics, truthMetrics);
    assert.equal(await one(`SELECT count(*) FROM metrics WHERE delivery_id = '${changes.lateMetric.delivery_id}' AND metric = 'opened'`), 1, 'the late open arrived');

    // opens per campaign (the demo's query) = truth
    const opens = await opensPerCampaign(conn);
    for (const c of truth.campaigns()) {
      const mine = messages.filter((m) => m.campaign_id === c.id);
      const row = opens.find((r) => Number(r.campaign_id) === c.id);
      assert.ok(row, `campaign ${c.id} in the answer`);
      assert.equal(row.campaign, c.name, 'newest campaign name (the edit)');
      assert.equal(Number(row.deliveries), mine.length);
      assert.equal(Number(row.opened), mine.filter((m) => 'opened' in (m.metrics as object)).length);
    }

    // the changed person: one new people row and one new attributes row; history ends at the truth
    const cp = changes.changedPerson;
    const history = await attributeHistory(conn, cp.cio_id, 'plan');
    assert.deepEqual(history.map((r) => r.value), [cp.from, cp.to]);
    assert.equal(truth.person(cp.cio_id).attributes.plan, cp.to);
    const latest = (await conn.runAndReadAll(`SELECT attribute_name AS k, arg_max(attribute_value, timestamp) AS v FROM attributes WHERE internal_customer_id = '${cp.cio_id}' GROUP BY ALL ORDER BY k`)).getRowObjectsJS();
    assert.deepEqual(Object.fromEntries(latest.map((r) => [r.k, r.v])), truth.person(cp.cio_id).attributes);
    const changedRows = await personRows(conn, cp.cio_id, cp.id, sync2Files);
    assert.deepEqual(changedRows.map((r) => [r.feed, Number(r.latest_sync)]), [['advanced identify', 1], ['standard attributes', 1], ['standard people', 1]]);

    // the no-op: nothing in the standard feed's second sync; the advanced feed kept both raw identifies
    const np = changes.noopPerson;
    const noopRows = await personRows(conn, np.cio_id, np.id, sync2Files);
    assert.deepEqual(noopRows.map((r) => [r.feed, Number(r.latest_sync)]), [['advanced identify', 1], ['standard attributes', 0], ['standard people', 0]]);
    assert.equal(s2.standard.perStream.people, 1);
    assert.equal(s2.standard.perStream.attributes, 1);
    const raw = await identifyCalls(conn, np.id);
    assert.equal(raw.length, 2, 'both raw identify calls of the no-op user');
    assert.equal(raw[0]!.traits, raw[1]!.traits, 'the same traits twice');

    // campaigns: the edit arrived as a new version, which replaced the old one (one row per primary key)
    assert.equal(await one(`SELECT count(*) FROM campaigns WHERE id = ${changes.editedCampaign.id}`), 1);
    assert.equal((await conn.runAndReadAll(`SELECT name FROM campaigns WHERE id = ${changes.editedCampaign.id}`)).getRowObjectsJS()[0]!.name, changes.editedCampaign.to);

    // the advanced feed: every call sent, once
    for (const [type, n] of Object.entries(flow.ledger.counts)) {
      assert.equal(await one(`SELECT count(*) FROM "${type}"`), n, `${type} rows = calls sent`);
      assert.equal(await one(`SELECT count(DISTINCT id) FROM "${type}"`), n);
    }
    const perUser = await eventsPerUser(conn);
    assert.deepEqual(Object.fromEntries(perUser.map((r) => [r.user_id, Number(r.events)])), flow.ledger.tracksByUser);
    for (const r of perUser) assert.equal(r.email, truth.person({ id: String(r.user_id) }).email, 'joined to the standard feed');

    // a rerun of the loader loads nothing new
    const again = await load();
    assert.deepEqual([again.standard.manifests, again.advanced.manifests, again.standard.rows + again.advanced.rows], [0, 0, 0]);
    assert.equal(await one('SELECT count(*) FROM deliveries'), truth.deliveryCount());
  } finally {
    conn.closeSync();
    await flow.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
