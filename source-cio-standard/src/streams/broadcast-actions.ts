// `broadcast_actions`: GET /broadcasts/{id}/actions for each broadcast changed since the last sync.
import { fanOutStream, type FanOutState } from './fan-out.js';
import type { CioStream, StreamDeps } from './stream-kit.js';

export function broadcastActionsStream(deps: StreamDeps): CioStream<FanOutState> {
  return fanOutStream({
    name: 'broadcast_actions', parentLabel: 'broadcast', parentKey: 'broadcast_id',
    parents: () => deps.api.broadcasts(), children: (id) => deps.api.broadcastActions(id),
  }, deps);
}
