// Faults: 429 storms (with and without Retry-After), 5xx bursts and dropped connections. Each sync
// completes with exactly the records of a clean run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FaultRule, SimulatorOptions } from '@cio-dw/cio-simulator';
import { keys, runSync, startSim, type SyncResult } from './helpers/sim-sync.js';
import type { SourceDeps } from '../src/source.js';

const streams = ['campaigns', 'campaign_actions', 'newsletters', 'newsletter_contents', 'deliveries', 'metrics', 'people', 'attributes'];

async function syncWith(opts: SimulatorOptions, deps: SourceDeps = {}): Promise<{ result: SyncResult; statuses: Record<string, number> }> {
  const sim = await startSim(opts);
  try {
    const result = await runSync(sim, { streams, deps, config: { window_days: 20 } });
    return { result, statuses: sim.stats().byStatus };
  } finally { await sim.close(); }
}

let clean: SyncResult | undefined;
async function cleanRun(): Promise<SyncResult> {
  clean ??= (await syncWith({})).result;
  assert.equal(clean.error, undefined);
  return clean;
}

function assertSame(a: SyncResult, b: SyncResult): void {
  assert.equal(a.error, undefined, String(a.error));
  for (const s of streams) assert.deepEqual(keys(s, a.records.get(s)), keys(s, b.records.get(s)), s);
}

test('429 storm with Retry-After: waits as told, same records', async () => {
  const { result, statuses } = await syncWith({ rateLimit: { perSecond: 8, retryAfterHeader: true } });
  assert.ok((statuses['429'] ?? 0) > 0, 'the simulator rate-limited us');
  assert.ok(result.client!.stats.rateLimited > 0);
  assertSame(result, await cleanRun());
});

test('429 storm without Retry-After: falls back to backoff, same records', async () => {
  const { result, statuses } = await syncWith({ rateLimit: { perSecond: 8, retryAfterHeader: false } }, { backoff: { baseMs: 100, capMs: 800 } });
  assert.ok((statuses['429'] ?? 0) > 0);
  assertSame(result, await cleanRun());
});

test('503/502/500 bursts: retried, same records', async () => {
  const faults: FaultRule[] = [
    { kind: 'status', status: 503, path: '/messages', skip: 1, count: 4 },
    { kind: 'status', status: 502, path: '/customers', count: 3 },
    { kind: 'status', status: 500, path: '/actions', skip: 2, count: 3 },
  ];
  const { result, statuses } = await syncWith({ faults });
  assert.equal((statuses['503'] ?? 0) + (statuses['502'] ?? 0) + (statuses['500'] ?? 0), 10);
  assert.equal(result.client!.stats.retries, 10);
  assertSame(result, await cleanRun());
});

test('dropped connections: retried, same records', async () => {
  const faults: FaultRule[] = [{ kind: 'drop', skip: 3, count: 3 }, { kind: 'drop', path: '/customers/attributes', count: 2 }];
  const { result, statuses } = await syncWith({ faults });
  assert.equal(statuses['dropped'], 5);
  assert.equal(result.client!.stats.networkErrors, 5);
  assertSame(result, await cleanRun());
});

test('truncated 200 bodies: retried within the budget (transient, not a failed stream), same records', async () => {
  const faults: FaultRule[] = [
    { kind: 'truncate', path: '/messages', skip: 1, count: 2 },
    { kind: 'truncate', path: '/customers/attributes', count: 1 },
    { kind: 'truncate', path: '/campaigns', count: 1 },
  ];
  const { result, statuses } = await syncWith({ faults });
  assert.equal(statuses['truncated'], 4);
  assert.ok(result.client!.stats.retries >= 4);
  assertSame(result, await cleanRun());
});
