// Realism: the App API shows data some time after its own timestamp and in an order it does not
// promise. Each behaviour below follows what Customer.io documents (or, where it documents nothing,
// what a client must therefore not assume); `realism: false` turns them all off.
//
// - Deliveries appear a little after their `created` second (0…deliveryDelayMaxS, seeded per delivery).
//   GET /messages filters on creation time (`start_ts`/`end_ts`) but promises no read-after-write, and
//   a message is queued and processed before it is sent ("Queued: we're processing and getting ready to
//   send it", https://customer.io/docs/documentation/metrics.html). Customer.io's own standard warehouse
//   sync runs on a ~15-minute interval, never up to the second (../shared/reference/
//   customerio-warehouse-integrations.txt, "Sync interval").
// - Metrics and activities become visible after their own time: most at once or within minutes, a
//   seeded share (`lateShare`) hours late. After "Sent" the delivery provider reports delivery, and the
//   device or tracking pixel reports opens and clicks ("It is now their responsibility…",
//   https://customer.io/docs/documentation/metrics.html; "we rely on the device to tell us when a
//   message is Opened… consider metrics incomplete until your message expires",
//   https://customer.io/docs/journeys/in-app-metrics/).
// - Activities are listed in the order they were recorded, which is only roughly newest first: a late
//   activity is listed among newer ones. GET /activities documents no ordering
//   (https://docs.customer.io/integrations/api/app/ "List activities"; ../shared/reference/customerio.md
//   §4.2: "Live order is newest first" is an observation of third-party tests, not a promise).
// - GET /activities keeps 30 days (customerio.md §4.2, "The workspace-wide list covers the last 30 days";
//   server/routes/activities.ts ACTIVITY_WINDOW_S). That one is always on.
import { unit, STREAM } from './rng.js';

export interface Realism {
  /** Deliveries become visible 0…this many seconds after `created` (0: at once). */
  deliveryDelayMaxS: number;
  /** Share of metrics and activities that show up `lateMinS`…`lateMaxS` after their own time. */
  lateShare: number;
  lateMinS: number;
  lateMaxS: number;
  /** Share of metrics and activities that show up 1…quickMaxS seconds late (the rest: at once). */
  quickShare: number;
  quickMaxS: number;
}

export const REALISM: Readonly<Realism> = { deliveryDelayMaxS: 60, lateShare: 0.05, lateMinS: 3600, lateMaxS: 3 * 3600, quickShare: 0.3, quickMaxS: 120 };
export const NO_REALISM: Readonly<Realism> = { deliveryDelayMaxS: 0, lateShare: 0, lateMinS: 0, lateMaxS: 0, quickShare: 0, quickMaxS: 0 };

export function resolveRealism(r: boolean | Partial<Realism> | undefined): Realism {
  if (r === false) return { ...NO_REALISM };
  if (r === true || r === undefined) return { ...REALISM };
  return { ...REALISM, ...r };
}

/** The longest any row stays invisible after its own time (tests advance the clock past it). */
export function maxVisibilityDelay(r: Realism): number {
  return Math.max(r.deliveryDelayMaxS, r.lateShare > 0 ? r.lateMaxS : 0, r.quickShare > 0 ? r.quickMaxS : 0);
}

/** Seconds after `created` at which delivery `index` becomes visible. */
export function deliveryDelay(seed: number, r: Realism, index: number): number {
  return r.deliveryDelayMaxS > 0 ? Math.floor(unit(seed, STREAM.visibility, 1, index) * (r.deliveryDelayMaxS + 1)) : 0;
}

/** Seconds after its own time at which a metric or activity (identified by `parts`) becomes visible. */
export function lateDelay(seed: number, r: Realism, ...parts: number[]): number {
  const u = unit(seed, STREAM.visibility, 2, ...parts);
  const v = unit(seed, STREAM.visibility, 3, ...parts);
  if (u < r.lateShare) return r.lateMinS + Math.floor(v * (r.lateMaxS - r.lateMinS + 1));
  if (u < r.lateShare + r.quickShare) return 1 + Math.floor(v * r.quickMaxS);
  return 0;
}

/** A small stable number for a metric name (to derive its delay). */
export function metricCode(name: string): number {
  let h = 7;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return h;
}
