// `campaigns`: GET /campaigns (one request, no paging), App API field names, incremental on `updated`.
import { catalogListStream, type UpdatedState } from './catalog-list.js';
import type { CioStream, StreamDeps } from './stream-kit.js';

export function campaignsStream(deps: StreamDeps): CioStream<UpdatedState> {
  return catalogListStream({ name: 'campaigns', cursor: 'updated', fetch: () => deps.api.campaigns() });
}
