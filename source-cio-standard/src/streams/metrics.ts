// `metrics`: each delivery's `metrics` map unrolled into one row per (delivery, metric).
// Each sync ("pass") fixes a bound B = now − settle_seconds and emits the metrics with time in
// (A − overlap_seconds, B], where A is the previous pass's B; it finds them by re-reading deliveries
// created in the last `lookback_days` (plus everything new). A metric can become visible hours after its
// own time (email providers report opens and clicks late), so the overlap re-examines metrics already
// behind A; those emitted before are recognised by the state's memory of emitted event_ids
// (cursors/emitted-keys.ts) and not repeated. A metric is missed only if it shows up more than
// overlap_seconds after its own time, or more than lookback_days after its delivery was created.
// Mid-pass checkpoints keep A and B and how far the pass got, so a resumed pass neither repeats nor skips.
//
// With `reporting_webhooks` configured, the sync first reads the webhook spool (every open, each click
// with its link, bounce reasons) and then the App API, sharing one memory of (delivery, metric) pairs
// (webhooks/seen-pairs.ts, kept beside the spool): the first event of a pair has the same event_id on
// both paths and is emitted by whichever path sees it first; later events of a pair get their own id.
import { startDateSeconds } from '../config.js';
import { lateOverlap, settledBound } from '../cursors/bounds.js';
import { EmittedKeys, type EmittedKeysJson } from '../cursors/emitted-keys.js';
import { isObject, isSeconds, requireState } from '../cursors/state-shape.js';
import { metricRows } from '../transforms/metric.js';
import { applyMetricEvents } from '../webhooks/metric-rows.js';
import { saveMemory } from '../webhooks/memory.js';
import { pruneSeenPairs, seenPairsFromJson, seenPairsToJson, type PairSeen } from '../webhooks/seen-pairs.js';
import { openWebhookStore, readWebhookSpool, type WebhookCursor } from '../webhooks/spool-reader.js';
import { DAY_S, deliveryWindows, schemaOf, type CioStream, type StreamDeps } from './stream-kit.js';

export interface MetricsState {
  /** Every metric with time ≤ this was emitted (for deliveries inside the lookback). */
  metric_at_s: number;
  /** Deliveries created ≤ this were scanned by the last complete pass. */
  created_at_s: number;
  /** Present while a pass is under way. */
  pass?: { metric_until_s: number; scanned_to_s: number };
  /** The webhook spool cursor and the pair memory (only with reporting_webhooks). */
  webhooks?: WebhookCursor;
  /** event_ids emitted with time inside the overlap behind metric_at_s (hashed; see cursors/emitted-keys.ts). */
  emitted?: EmittedKeysJson;
}

function readMetricsState(state: unknown): MetricsState | undefined {
  if (state === undefined || state === null) return undefined;
  const ok = isObject(state) && isSeconds(state['metric_at_s']) && isSeconds(state['created_at_s'])
    && (state['pass'] === undefined || (isObject(state['pass']) && isSeconds(state['pass']['metric_until_s']) && isSeconds(state['pass']['scanned_to_s'])));
  return requireState('metrics', state, ok, '{"metric_at_s": <epoch seconds>, "created_at_s": <epoch seconds>}');
}

export function metricsStream(deps: StreamDeps): CioStream<MetricsState> {
  return {
    name: 'metrics',
    jsonSchema: schemaOf('metrics'),
    primaryKey: [['event_id']],
    cursorField: ['created_at'],
    syncModes: ['full_refresh', 'incremental'],
    async *read(ctx) {
      const { config } = ctx;
      const state = readMetricsState(ctx.state);
      const startS = startDateSeconds(config);
      const after = state?.metric_at_s ?? startS - 1;
      const overlap = lateOverlap(config);
      // The first pass has emitted nothing yet: no overlap to re-examine.
      const from = state ? after - overlap : after;
      const until = state?.pass?.metric_until_s ?? Math.max(after, settledBound((deps.messagesNowS ?? deps.nowS)(), config));
      const emitted = EmittedKeys.fromJson(state?.emitted, 'metrics');
      let reread = 0;
      const scanFrom = state?.pass ? state.pass.scanned_to_s + 1
        : state ? Math.max(startS, state.created_at_s - config.lookback_days * DAY_S + 1) : startS;
      const base: MetricsState = { metric_at_s: after, created_at_s: state?.created_at_s ?? startS - 1, ...(state?.emitted ? { emitted: state.emitted } : {}) };
      const wh = config.reporting_webhooks;
      const store = wh ? openWebhookStore(wh) : undefined;
      try {
        // Webhook part first: its rows carry link and reason details the App API has not.
        let seen = new Map<string, PairSeen>();
        let webhooks: WebhookCursor | undefined;
        const saveSeen = () => seenPairsToJson(pruneSeenPairs(seen, deps.nowS() - wh!.memory_days * DAY_S));
        if (wh && store) {
          webhooks = yield* readWebhookSpool(ctx, wh, state?.webhooks, {
            name: 'metrics',
            load: (json) => { seen = new Map(seenPairsFromJson(json)); },
            rows: (events) => applyMetricEvents(events, config.workspace_id, seen).rows,
            save: saveSeen,
            stateOf: (c) => ({ ...base, ...(state?.pass ? { pass: state.pass } : {}), webhooks: c }),
          }, store);
        }
        const withWebhooks = async (s: MetricsState): Promise<MetricsState> => {
          if (!wh || !store) return s;
          webhooks = { ...webhooks, memory_key: await saveMemory(store, 'metrics', ctx.clock.now(), saveSeen()) };
          return { ...s, webhooks };
        };
        for await (const { window: [, b], pages } of deliveryWindows(deps, scanFrom, until, config.window_days * DAY_S)) {
          for await (const page of pages) {
            for (const m of page) {
              for (const row of metricRows(m, config.workspace_id, from, until)) {
                const id = row['event_id'] as string;
                const ts = Date.parse(row['created_at'] as string) / 1000;
                if (emitted.has(id, ts)) { reread++; continue; }
                // Remembered for the next pass when inside its overlap.
                if (ts > until - overlap) emitted.add(id, ts);
                if (wh) {
                  if (seen.has(id)) continue; // a webhook already emitted this pair's first event
                  seen.set(id, { firstTs: Date.parse(row['created_at'] as string) / 1000, firstEventId: null, repeats: [] });
                }
                yield { kind: 'record', data: row };
              }
            }
          }
          if (b < until) yield { kind: 'state', state: await withWebhooks({ ...base, pass: { metric_until_s: until, scanned_to_s: b }, emitted: emitted.toJson(from) }) };
        }
        yield { kind: 'state', state: await withWebhooks({ metric_at_s: until, created_at_s: Math.max(base.created_at_s, until), emitted: emitted.toJson(until - overlap) }) };
        if (reread) ctx.logger.info(`metrics: ${reread} metrics re-read in the overlap were already emitted (skipped)`);
        if (emitted.forgotten) ctx.logger.warn(`metrics: the overlap held more metrics than the state remembers; ${emitted.forgotten} may be emitted again on a later sync (same event_id)`);
      } finally {
        await store?.close();
      }
    },
  };
}
