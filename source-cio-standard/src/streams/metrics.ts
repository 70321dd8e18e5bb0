// `metrics`: each delivery's `metrics` map unrolled into one row per (delivery, metric).
// Each sync ("pass") fixes a time bound B = now and emits the metrics with time in (A, B], where A is
// the previous pass's B; it finds them by re-reading deliveries created in the last `lookback_days`
// (plus everything new). So a metric is emitted exactly once, when it first appears, unless it arrives
// more than lookback_days after its delivery was created. Mid-pass checkpoints keep A and B and how far
// the pass got, so a resumed pass neither repeats nor skips a window.
import { startDateSeconds } from '../config.js';
import { metricRows } from '../transforms/metric.js';
import { DAY_S, deliveryWindows, schemaOf, type CioStream, type StreamDeps } from './stream-kit.js';

export interface MetricsState {
  /** Every metric with time ≤ this was emitted (for deliveries inside the lookback). */
  metric_at_s: number;
  /** Deliveries created ≤ this were scanned by the last complete pass. */
  created_at_s: number;
  /** Present while a pass is under way. */
  pass?: { metric_until_s: number; scanned_to_s: number };
}

export function metricsStream(deps: StreamDeps): CioStream<MetricsState> {
  return {
    name: 'metrics',
    jsonSchema: schemaOf('metrics'),
    primaryKey: [['event_id']],
    cursorField: ['created_at'],
    syncModes: ['full_refresh', 'incremental'],
    async *read({ config, state }) {
      const startS = startDateSeconds(config);
      const after = state?.metric_at_s ?? startS - 1;
      const until = state?.pass?.metric_until_s ?? deps.nowS();
      const scanFrom = state?.pass ? state.pass.scanned_to_s + 1
        : state ? Math.max(startS, state.created_at_s - config.lookback_days * DAY_S + 1) : startS;
      const base = { metric_at_s: after, created_at_s: state?.created_at_s ?? startS - 1 };
      for await (const { window: [, b], pages } of deliveryWindows(deps, scanFrom, until, config.window_days * DAY_S)) {
        for await (const page of pages) {
          for (const m of page) {
            for (const row of metricRows(m, config.workspace_id, after, until)) yield { kind: 'record', data: row };
          }
        }
        if (b < until) yield { kind: 'state', state: { ...base, pass: { metric_until_s: until, scanned_to_s: b } } };
      }
      yield { kind: 'state', state: { metric_at_s: Math.max(after, until), created_at_s: Math.max(base.created_at_s, until) } };
    },
  };
}
