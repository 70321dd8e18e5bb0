// The small state that decides "is this the first event of its (delivery, metric)?" across batches
// and across the two paths (App API metrics map, webhooks). Keyed by metricEventId(delivery, metric).
import { metricEventId } from '../transforms/metric.js';

export interface PairSeen {
  /** Time of the pair's first event (the App API's metrics-map time, or the first webhook seen). */
  firstTs: number;
  /** Webhook event_id that was the first; null when the App API path emitted the pair first. */
  firstEventId: string | null;
  /** Webhook event_ids of later events of the pair already emitted (so redeliveries are dropped). */
  repeats: readonly string[];
}
export type SeenPairs = ReadonlyMap<string, PairSeen>;

export function emptySeenPairs(): SeenPairs { return new Map(); }

/** Record that the App API path emitted the pair's row (its metrics map said `ts`). A webhook at that time is then not emitted again. */
export function markApiMetric(state: SeenPairs, deliveryId: string, metric: string, ts: number): SeenPairs {
  const key = metricEventId(deliveryId, metric);
  if (state.has(key)) return state;
  const next = new Map(state);
  next.set(key, { firstTs: ts, firstEventId: null, repeats: [] });
  return next;
}

/**
 * Forget pairs whose first event is before `beforeS`. Keep a window longer than Customer.io's retries
 * (7 days) plus the time repeats keep coming (opens/clicks days later): 30 days is a safe default.
 * A repeat arriving after its pair was pruned would be taken for the first (and reuse the pair's id).
 */
export function pruneSeenPairs(state: SeenPairs, beforeS: number): SeenPairs {
  const next = new Map<string, PairSeen>();
  for (const [k, v] of state) if (v.firstTs >= beforeS) next.set(k, v);
  return next;
}

/** JSON form: {pair: [firstTs, firstEventId|null, ...repeatIds]} (about 60 bytes per pair). */
export function seenPairsToJson(state: SeenPairs): Record<string, [number, string | null, ...string[]]> {
  const out: Record<string, [number, string | null, ...string[]]> = {};
  for (const [k, v] of state) out[k] = [v.firstTs, v.firstEventId, ...v.repeats];
  return out;
}
export function seenPairsFromJson(json: unknown): SeenPairs {
  const next = new Map<string, PairSeen>();
  if (typeof json !== 'object' || json === null) return next;
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
    if (!Array.isArray(v) || typeof v[0] !== 'number') continue;
    const [firstTs, firstEventId, ...repeats] = v as [number, unknown, ...unknown[]];
    next.set(k, { firstTs, firstEventId: typeof firstEventId === 'string' ? firstEventId : null, repeats: repeats.filter((r): r is string => typeof r === 'string') });
  }
  return next;
}
