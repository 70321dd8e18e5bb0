// `campaign_actions`: GET /campaigns/{id}/actions (10 per page) for each campaign changed since the last sync.
import { fanOutStream, type FanOutState } from './fan-out.js';
import type { CioStream, StreamDeps } from './stream-kit.js';

export function campaignActionsStream(deps: StreamDeps): CioStream<FanOutState> {
  return fanOutStream({
    name: 'campaign_actions', parentLabel: 'campaign', parentKey: 'campaign_id',
    parents: () => deps.api.campaigns(), children: (id) => deps.api.campaignActions(id),
  }, deps);
}
