// `newsletter_contents`: GET /newsletters/{id}/contents (the variants) for each newsletter changed since the last sync.
import { fanOutStream, type FanOutState } from './fan-out.js';
import { allNewsletters } from './newsletters.js';
import type { CioStream, StreamDeps } from './stream-kit.js';

export function newsletterContentsStream(deps: StreamDeps): CioStream<FanOutState> {
  return fanOutStream({
    name: 'newsletter_contents', parentLabel: 'newsletter', parentKey: 'newsletter_id',
    parents: () => allNewsletters(deps.api), children: (id) => deps.api.newsletterContents(id),
  }, deps);
}
