// Pure bookkeeping of `delivery_contents` under Customer.io's daily quota of archived_message requests:
// the per-day budget carried in state across syncs, and a cursor that can stop between any two
// deliveries (they are worked oldest first, so what is done is always a prefix).

/** Every delivery created ≤ created_at_s is done; of those created at created_at_s + 1, `done_ids` are. */
export interface ContentCursor { created_at_s: number; done_ids?: string[] }

export interface ContentQuota { /** UTC day number (epoch s / 86400) the count belongs to. */ day: number; used: number }

export interface DeliveryContentsState extends ContentCursor { quota?: ContentQuota }

/** Requests still allowed today under `perDay`, given what the state says was used. */
export function remainingToday(state: DeliveryContentsState | undefined, nowS: number, perDay: number): { day: number; used: number; left: number } {
  const day = Math.floor(nowS / 86400);
  const used = state?.quota?.day === day ? state.quota.used : 0;
  return { day, used, left: Math.max(0, perDay - used) };
}

export interface Todo { id: string; created: number }

/** Sort order of the work: oldest first, then by id, so a cursor is a prefix. */
export function byCreatedThenId(a: Todo, b: Todo): number {
  return a.created - b.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The cursor after `done` (a delivery of `todo`, sorted by byCreatedThenId) when `next` (the following
 * delivery of `todo`, if any) is not done yet.
 */
export function advanceCursor(cursor: ContentCursor, done: Todo, next: Todo | undefined): ContentCursor {
  if (next === undefined || next.created > done.created) return { created_at_s: done.created };
  const same = cursor.created_at_s === done.created - 1 ? cursor.done_ids ?? [] : [];
  return { created_at_s: done.created - 1, done_ids: [...same, done.id] };
}

/** Whether the cursor already covers this delivery. */
export function isDone(cursor: ContentCursor, t: Todo): boolean {
  return t.created <= cursor.created_at_s || (t.created === cursor.created_at_s + 1 && (cursor.done_ids ?? []).includes(t.id));
}
