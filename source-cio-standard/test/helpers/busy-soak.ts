// The busy-workspace soak (issue #11): a full sync and incremental syncs against a simulator in busy
// mode (new deliveries every second, late metrics, people created, changed and deleted while syncs run),
// then a last sync once everything has settled. The union of all rows is compared with ground truth per
// stream; rows emitted more than once (same primary key) are counted.
import assert from 'node:assert/strict';
import type { Simulator } from '@cio-dw/cio-simulator';
import { keyOf, letSettle, runSync, startSim, type Row, type SyncResult } from './sim-sync.js';
import { metricEventId, metricEvents } from '../../src/transforms/metric.js';

export const SOAK_STREAMS = ['deliveries', 'metrics', 'delivery_contents', 'people', 'attributes'];

export interface SoakFigures {
  seed: number;
  syncs: number;
  simulated_seconds: number;
  busy: Record<string, number>;
  rows: Record<string, number>;
  expected: Record<string, number>;
  missing: Record<string, number>;
  duplicates: Record<string, number>;
  requests: number;
}

export interface SoakOptions { seed: number; incrementals: number; gapSeconds: number; people?: number }

export async function runBusySoak(o: SoakOptions): Promise<SoakFigures> {
  const sim = await startSim({ seed: o.seed, people: o.people ?? 200, busy: { speed: 1 } });
  try {
    const config = { lookback_days: 14, window_days: 30 };
    const syncs: SyncResult[] = [];
    let state = new Map<string, unknown>();
    const sync = async () => {
      const s = await runSync(sim, { streams: SOAK_STREAMS, state, config });
      assert.equal(s.error, undefined, String(s.error));
      syncs.push(s);
      state = s.state;
    };
    await sync(); // full
    for (let k = 0; k < o.incrementals; k++) {
      sim.busy!.playOut(o.gapSeconds); // a busy stretch between syncs; the clock also runs during the syncs
      await sync();
    }
    sim.busy!.pause();
    letSettle(sim);
    await sync(); // catch-up once everything is listed
    const bound = (state.get('metrics') as { metric_at_s: number }).metric_at_s;
    return { ...compare(sim, syncs, bound), seed: o.seed, syncs: syncs.length, simulated_seconds: sim.busy!.stats.seconds, busy: { ...sim.busy!.stats }, requests: syncs.reduce((n, s) => n + s.requests, 0) };
  } finally { await sim.close(); }
}

function compare(sim: Simulator, syncs: SyncResult[], metricBound: number): Omit<SoakFigures, 'seed' | 'syncs' | 'simulated_seconds' | 'busy' | 'requests'> {
  const all = new Map<string, Row[]>(SOAK_STREAMS.map((s) => [s, syncs.flatMap((x) => x.records.get(s) ?? [])]));
  const rows: Record<string, number> = {};
  const duplicates: Record<string, number> = {};
  for (const [s, list] of all) {
    rows[s] = list.length;
    duplicates[s] = list.length - new Set(list.map((r) => keyOf(s, r))).size;
  }
  const startS = sim.truth.now() - 100 * 86400 - 7 * 86400;
  const messages = sim.truth.messages({ from: startS });
  const expected: Record<string, Set<string>> = {
    deliveries: new Set(messages.map((m) => String(m['id']))),
    delivery_contents: new Set(messages.filter((m) => !m['forgotten']).map((m) => String(m['id']))),
    // The events of the warehouse metrics file: human_/prefetch_ keys fold into their metric (#12).
    metrics: new Set(messages.flatMap((m) => metricEvents(m['metrics'] as Record<string, number>).filter((e) => e.ts <= metricBound).map((e) => metricEventId(String(m['id']), e.idKey)))),
  };
  const missing: Record<string, number> = {};
  for (const s of ['deliveries', 'delivery_contents', 'metrics']) {
    const got = new Set(all.get(s)!.map((r) => keyOf(s, r)));
    missing[s] = [...expected[s]!].filter((k) => !got.has(k)).length;
    const extra = [...got].filter((k) => !expected[s]!.has(k));
    assert.deepEqual(extra.slice(0, 5), [], `${s}: rows that ground truth does not have`);
  }
  // people: the latest row per person (what the warehouse keeps) matches each person's current state.
  const latest = new Map<string, Row>();
  for (const r of all.get('people')!) latest.set(String(r['internal_customer_id']), r);
  let peopleMissing = 0;
  const everyone = sim.truth.people({ includeDeleted: true });
  for (const p of everyone) {
    const r = latest.get(p.cio_id);
    if (p.deleted ? r !== undefined && r['deleted'] !== true : r === undefined || r['deleted'] !== false) peopleMissing++;
  }
  missing['people'] = peopleMissing;
  expected['people'] = new Set(everyone.filter((p) => !p.deleted || latest.has(p.cio_id)).map((p) => p.cio_id));
  // attributes: the latest row per (person, attribute) equals each living person's current attributes.
  const attrs = new Map<string, Map<string, Row>>();
  for (const r of all.get('attributes')!) {
    const m = attrs.get(String(r['internal_customer_id'])) ?? new Map<string, Row>();
    const prev = m.get(String(r['attribute_name']));
    if (!prev || String(prev['timestamp']) <= String(r['timestamp'])) m.set(String(r['attribute_name']), r);
    attrs.set(String(r['internal_customer_id']), m);
  }
  let attrMissing = 0;
  let attrExpected = 0;
  for (const p of everyone.filter((x) => !x.deleted)) {
    const want = (sim.truth.customer(p.cio_id) as { attributes: Record<string, string> }).attributes;
    const got = attrs.get(p.cio_id) ?? new Map<string, Row>();
    for (const [k, v] of Object.entries(want)) {
      attrExpected++;
      if (got.get(k)?.['attribute_value'] !== v) attrMissing++;
    }
  }
  missing['attributes'] = attrMissing;
  const exp: Record<string, number> = Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, v.size]));
  exp['attributes'] = attrExpected;
  return { rows, expected: exp, missing, duplicates };
}
