// `broadcasts`: GET /broadcasts (API-triggered broadcasts, no paging), incremental on `updated`.
import { catalogListStream, type UpdatedState } from './catalog-list.js';
import type { CioStream, StreamDeps } from './stream-kit.js';

export function broadcastsStream(deps: StreamDeps): CioStream<UpdatedState> {
  return catalogListStream({ name: 'broadcasts', cursor: 'updated', fetch: () => deps.api.broadcasts() });
}
