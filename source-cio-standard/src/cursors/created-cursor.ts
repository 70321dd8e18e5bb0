// The `created_at` cursor of `deliveries` and `delivery_contents`, with settle and overlap: a sync reads
// deliveries created in [previous bound − overlap + 1, now − settle] and emits each delivery once; the
// ones re-read in the overlap are recognised by the EmittedKeys memory (key: delivery_id).
import type { CioConfig } from '../config.js';
import { startDateSeconds } from '../config.js';
import { deliveryOverlap, settledBound } from './bounds.js';
import { EmittedKeys, type EmittedKeysJson } from './emitted-keys.js';
import { isObject, isSeconds, requireState } from './state-shape.js';

export interface CreatedCursorState {
  /** Every delivery created at or before this (and visible by then) was emitted. */
  created_at_s: number;
  /** Deliveries emitted with `created` inside the overlap behind `created_at_s` (hashed ids). */
  emitted?: EmittedKeysJson;
}

export function readCreatedState(stream: string, state: unknown): CreatedCursorState | undefined {
  if (state === undefined || state === null) return undefined;
  return requireState(stream, state, isObject(state) && isSeconds(state['created_at_s']), '{"created_at_s": <epoch seconds>}');
}

export class CreatedCursor {
  readonly from: number;
  readonly until: number;
  readonly state: CreatedCursorState | undefined;
  private readonly memory: EmittedKeys;
  private readonly overlap: number;
  /** Rows re-read in the overlap and recognised as already emitted. */
  reread = 0;

  constructor(stream: string, config: CioConfig, rawState: unknown, nowS: number) {
    this.state = readCreatedState(stream, rawState);
    this.overlap = deliveryOverlap(config);
    this.memory = EmittedKeys.fromJson(this.state?.emitted, stream);
    this.from = this.state ? Math.max(startDateSeconds(config), this.state.created_at_s - this.overlap + 1) : startDateSeconds(config);
    this.until = Math.max(settledBound(nowS, config), this.state?.created_at_s ?? Number.NEGATIVE_INFINITY);
  }

  /** Whether this delivery was emitted before (without remembering it). */
  emittedBefore(deliveryId: string, createdS: number): boolean {
    return this.memory.has(deliveryId, createdS);
  }

  /** True the first time a delivery is seen (and remembers it); false when it was emitted before. */
  firstTime(deliveryId: string, createdS: number): boolean {
    if (this.memory.has(deliveryId, createdS)) { this.reread++; return false; }
    this.memory.add(deliveryId, createdS);
    return true;
  }

  /** The state after every delivery created ≤ `doneS` was handled. */
  checkpoint(doneS: number): CreatedCursorState {
    const at = Math.max(doneS, this.state?.created_at_s ?? Number.NEGATIVE_INFINITY);
    return { created_at_s: at, emitted: this.memory.toJson(at - this.overlap) };
  }

  /** Keys dropped because of the memory cap (their deliveries may repeat on a later re-read). */
  get forgotten(): number { return this.memory.forgotten; }
}
