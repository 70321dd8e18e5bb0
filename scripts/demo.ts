// `npm run demo`: the whole product on one machine, in about half a minute. See docs/demo.md.
// Simulated Customer.io workspace + advanced collector → raw calls through the official Node library →
// both sources into destination-bucket (Parquet in ./demo-bucket) with the standalone runner → changes →
// an incremental sync → what was written → DuckDB answers.
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { CALL_TYPES, type CallType } from './demo/calls.js';
import { DemoFlow, STANDARD_STREAMS } from './demo/flow.js';
import { REPO } from './demo/paths.js';
import { eventsPerUser, identifyCalls, opensPerCampaign, personRows } from './demo/queries.js';
import { filesTable, table } from './demo/report.js';
import { catalogPathFor } from '@cio-dw/runner';
import { loadManifestsIntoDuckDB, type LoadReport } from './warehouse/duckdb-loader.js';
import { readStreamKeys } from './warehouse/stream-keys.js';
import { listManifests, summarize, type ManifestEntry } from './warehouse/manifests.js';

const say = (text = '') => process.stdout.write(text + '\n');
const calls = (c: Record<CallType, number>) => CALL_TYPES.map((t) => `${t} ${c[t]}`).join(', ');
const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');

async function main(): Promise<number> {
  const started = Date.now();
  const bucket = join(process.cwd(), 'demo-bucket');
  const rel = (p: string) => `./${relative(process.cwd(), p)}`;
  await rm(bucket, { recursive: true, force: true });
  say('Customer.io → bucket → warehouse: demo\n');

  const flow = await DemoFlow.start({ bucketDir: bucket, workDir: join(bucket, '_work') });
  let db: DuckDBInstance | undefined;
  try {
    const { sim } = flow;
    say(`1. Started a simulated Customer.io workspace ${sim.workspaceId} (seed ${sim.seed}: ${sim.sizes.people} people, ${sim.sizes.deliveries} deliveries over ${sim.sizes.spanDays} days, ${sim.sizes.campaigns} campaigns) at ${sim.baseUrl}`);
    say(`   and the advanced feed's collector (child process) at ${flow.collector.url}, spool ${rel(join(bucket, '_work', 'spool'))}`);

    const sent1 = await flow.sendPhase(1);
    say(`2. Sent raw calls for ${flow.users.length} users through @customerio/cdp-analytics-node: ${calls(sent1)}`);

    const manifests = async () => ({ standard: await listManifests(join(bucket, 'standard')), advanced: await listManifests(join(bucket, 'advanced')) });
    const s1 = await flow.syncAll();
    const after1 = await manifests();
    say(`3. Sync 1 with cio-sync's runner (standard feed ${s1.standard.seconds.toFixed(1)} s, ${STANDARD_STREAMS.length} streams; advanced feed ${s1.advanced.seconds.toFixed(1)} s) → Parquet in ${rel(bucket)}`);
    say(filesTable('standard', summarize(after1.standard)));
    say(filesTable('advanced', summarize(after1.advanced)));

    const changes = await flow.makeChanges();
    const sent2 = await flow.sendPhase(2, flow.identifyCallsFor(changes));
    flow.freezeClock();
    say(`\n4. The workspace clock moved on with real time to ${iso(changes.at)}; changes made then:`);
    say(`   - person ${changes.changedPerson.cio_id} (id ${changes.changedPerson.id}): plan ${changes.changedPerson.from} → ${changes.changedPerson.to}`);
    say(`   - person ${changes.noopPerson.cio_id} (id ${changes.noopPerson.id}): plan set to "${changes.noopPerson.value}" again, a NO-OP (attributes changed: ${changes.noopPerson.changedNames.length})`);
    say(`   - a late "opened" for delivery ${changes.lateMetric.delivery_id} (campaign ${changes.lateMetric.campaign_id})`);
    say(`   - ${changes.newDeliveries.length} new deliveries of campaign ${changes.editedCampaign.id}, 10 of them opened`);
    say(`   - campaign ${changes.editedCampaign.id} renamed "${changes.editedCampaign.from}" → "${changes.editedCampaign.to}"`);
    say(`   - raw calls: ${calls(sent2)} (the identifies: the changed person's new plan, and the no-op person's unchanged traits)`);

    const s2 = await flow.syncAll();
    const after2 = await manifests();
    const only2 = (all: ManifestEntry[], before: ManifestEntry[]) => all.filter((m) => !before.some((b) => b.key === m.key));
    const new2 = { standard: only2(after2.standard, after1.standard), advanced: only2(after2.advanced, after1.advanced) };
    say(`\n5. Sync 2, incremental from the saved states (standard ${s2.standard.seconds.toFixed(1)} s, advanced ${s2.advanced.seconds.toFixed(1)} s): only what changed`);
    say(filesTable('standard', summarize(new2.standard)));
    say(filesTable('advanced', summarize(new2.advanced)));

    const dbPath = join(bucket, 'warehouse.duckdb');
    db = await DuckDBInstance.create(dbPath);
    const conn = await db.connect();
    const loads: LoadReport[] = [];
    const feeds = [['standard', flow.standard.statePath], ['advanced', flow.advanced.statePath]] as const;
    for (const [feed, state] of feeds) loads.push(await loadManifestsIntoDuckDB(conn, { root: join(bucket, feed), keys: await readStreamKeys(catalogPathFor(state)) }));
    const rerun: LoadReport[] = [];
    for (const [feed, state] of feeds) rerun.push(await loadManifestsIntoDuckDB(conn, { root: join(bucket, feed), keys: await readStreamKeys(catalogPathFor(state)) }));
    const sum = (xs: typeof loads, k: 'manifests' | 'files' | 'rows') => xs.reduce((a, r) => a + r[k], 0);
    say(`\n6. Loaded into DuckDB (${rel(dbPath)}) with the recipe in scripts/load-duckdb.ts: ${sum(loads, 'manifests')} manifests, ${sum(loads, 'files')} files, ${sum(loads, 'rows')} rows (one per primary key: the newest version of each campaign, person, …); a rerun loaded ${sum(rerun, 'rows')} rows (exactly once)`);

    const files2 = [...new2.standard, ...new2.advanced].flatMap((m) => m.manifest.files.map((f) => f.key));
    say(`\n7. The no-op identify: nothing new in the standard feed, while the advanced feed kept the raw call`);
    for (const [label, p] of [['changed', changes.changedPerson], ['no-op', changes.noopPerson]] as const) {
      const r = await personRows(conn, p.cio_id, p.id, files2);
      say(`   ${label} person ${p.cio_id} / user ${p.id}:`);
      say(table(['feed', 'rows', 'from sync 2'], r.map((x) => [String(x.feed), Number(x.total), Number(x.latest_sync)])));
    }
    const raw = await identifyCalls(conn, changes.noopPerson.id);
    say(`   its raw identify calls: ${raw.map((r) => `${String(r.received_at)} ${String(r.traits)}`).join('\n                           ')}`);

    say(`\n8. Opens per campaign (deliveries ⋈ metrics ⋈ campaigns, standard feed):`);
    const opens = await opensPerCampaign(conn);
    say(table(['campaign', 'name', 'deliveries', 'opened', 'open %'], opens.map((r) => [Number(r.campaign_id), String(r.campaign), Number(r.deliveries), Number(r.opened), Number(r.open_rate_pct)])));
    say(`\n9. Events per user (advanced feed's track calls ⋈ standard feed's people for the email), top 5:`);
    const events = (await eventsPerUser(conn)).slice(0, 5);
    say(table(['user_id', 'email', 'events', 'orders', 'distinct events'], events.map((r) => [String(r.user_id), String(r.email), Number(r.events), Number(r.orders), Number(r.distinct_events)])));
    conn.closeSync();
  } finally {
    db?.closeSync();
    await flow.stop();
  }
  say(`\n10. Stopped the collector and the simulator. Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  say(`    Files: ${rel(bucket)}/{standard,advanced}/ (manifests in _manifests/); runner connection and state files: ${rel(join(bucket, '_work'))}/`);
  say(`    Explore: duckdb ${rel(join(bucket, 'warehouse.duckdb'))}  (or: node --import tsx ${relative(process.cwd(), join(REPO, 'scripts/load-duckdb.ts'))} --bucket ${rel(join(bucket, 'standard'))} --catalog ${rel(catalogPathFor(join(bucket, '_work', 'standard.state.json')))} --db my.duckdb)`);
  return 0;
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => {
  process.stderr.write(`demo failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});
