// `segments`: GET /segments (no paging), incremental on `updated_at`.
import { catalogListStream, type UpdatedState } from './catalog-list.js';
import type { CioStream, StreamDeps } from './stream-kit.js';

export function segmentsStream(deps: StreamDeps): CioStream<UpdatedState> {
  return catalogListStream({ name: 'segments', cursor: 'updated_at', fetch: () => deps.api.segments() });
}
