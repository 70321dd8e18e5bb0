// `newsletters`: GET /newsletters (100 per page), incremental on `updated`.
import type { JsonObject } from '../client/cio-client.js';
import { listOf } from '../client/cio-client.js';
import type { CioApi } from '../client/endpoints.js';
import { catalogListStream, type UpdatedState } from './catalog-list.js';
import type { CioStream, StreamDeps } from './stream-kit.js';

export async function allNewsletters(api: CioApi): Promise<JsonObject[]> {
  const out: JsonObject[] = [];
  for await (const page of api.newsletters()) out.push(...listOf(page.body, 'newsletters'));
  return out;
}

export function newslettersStream(deps: StreamDeps): CioStream<UpdatedState> {
  return catalogListStream({ name: 'newsletters', cursor: 'updated', fetch: () => allNewsletters(deps.api) });
}
