// One short run of the busy-workspace soak (the five-seed soak is busy-workspace.soak.ts, `npm run soak`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBusySoak } from './helpers/busy-soak.js';

test('busy workspace: a full and three incremental syncs while data keeps arriving lose no row on any stream', async () => {
  const f = await runBusySoak({ seed: 11, incrementals: 3, gapSeconds: 90 });
  assert.ok(f.busy['deliveries']! > 500 && f.busy['lateMetrics']! > 0 && f.busy['people']! > 0 && f.busy['deletes']! > 0, JSON.stringify(f.busy));
  assert.deepEqual(f.missing, { deliveries: 0, delivery_contents: 0, metrics: 0, people: 0, attributes: 0 }, JSON.stringify(f));
  assert.deepEqual(f.duplicates, { deliveries: 0, metrics: 0, delivery_contents: 0, people: 0, attributes: 0 }, JSON.stringify(f));
});
