// Where a sync's cursors stop and restart. Each sync reads up to `now − settle_seconds` (rows of the
// last seconds may still be on their way into the App API) and re-reads an overlap behind the previous
// bound, so a row that became visible after its own time crossed a bound is still found. Re-read rows
// are recognised by an EmittedKeys memory in the state (same primary key) and not emitted twice.
import type { CioConfig } from '../config.js';

export const DEFAULT_SETTLE_S = 300;
export const DEFAULT_OVERLAP_S = 6 * 3600;
export const DEFAULT_DELIVERY_OVERLAP_S = 1800;

/** The sync's upper bound: rows stamped after it are left to the next sync. */
export function settledBound(nowS: number, config: Pick<CioConfig, 'settle_seconds'>): number {
  return nowS - (config.settle_seconds ?? DEFAULT_SETTLE_S);
}

/** Overlap re-read behind the previous bound for metrics and activities (late arrivals). */
export function lateOverlap(config: Pick<CioConfig, 'overlap_seconds'>): number {
  return config.overlap_seconds ?? DEFAULT_OVERLAP_S;
}

/** Overlap re-read behind the previous bound for deliveries (and their contents). */
export function deliveryOverlap(config: Pick<CioConfig, 'delivery_overlap_seconds'>): number {
  return config.delivery_overlap_seconds ?? DEFAULT_DELIVERY_OVERLAP_S;
}
