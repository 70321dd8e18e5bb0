// Pure bookkeeping of `delivery_contents` under Customer.io's daily quota of archived_message requests:
// the per-day budget carried in state across syncs, and the order deliveries are worked in (oldest
// first, so the stream can stop between any two and checkpoint just before the first not done).
import type { CreatedCursorState } from '../cursors/created-cursor.js';

export interface ContentQuota { /** UTC day number (epoch s / 86400) the count belongs to. */ day: number; used: number }

/** delivery_contents' state: the created_at cursor (settle, overlap, memory of emitted ids) and today's count. */
export interface DeliveryContentsState extends CreatedCursorState { quota?: ContentQuota }

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
