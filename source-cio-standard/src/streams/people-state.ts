// The state shared in form by `people` and `attributes`: an activity cursor, or a people snapshot under
// way (resumable by its search token). Anything else is a config error (cursors/state-shape.ts).
import { isObject, isSeconds, requireState } from '../cursors/state-shape.js';
import type { ActivityCursor } from './activity-scan.js';
import type { KnownIdsJson } from './known-ids.js';

export interface SnapshotState { snapshot: { started_s: number; next: string; seen_ids?: KnownIdsJson }; known_ids?: KnownIdsJson }
export type PeopleCursor = ActivityCursor & { known_ids?: KnownIdsJson };
export type PeopleState = PeopleCursor | SnapshotState;

export function readPeopleState(stream: string, state: unknown): PeopleState | undefined {
  if (state === undefined || state === null) return undefined;
  const ok = isObject(state) && (isSeconds(state['activity_at_s'])
    || (isObject(state['snapshot']) && isSeconds(state['snapshot']['started_s']) && typeof state['snapshot']['next'] === 'string'));
  return requireState(stream, state, ok, '{"activity_at_s": <epoch seconds>} or {"snapshot": {"started_s": <epoch seconds>, "next": "<token>"}}');
}

export function isCursor(s: PeopleState | undefined): s is PeopleCursor {
  return s !== undefined && 'activity_at_s' in s;
}
