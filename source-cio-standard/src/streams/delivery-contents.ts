// `delivery_contents`: GET /messages/{id}/archived_message for each new delivery (one request per
// delivery, so it is off unless selected). Forgotten deliveries (content not retained) are skipped
// without a request; a 404 is skipped too. Incremental on created_at like `deliveries` (same settle,
// overlap and memory of emitted ids: cursors/created-cursor.ts).
import { CreatedCursor, type CreatedCursorState } from '../cursors/created-cursor.js';
import { mapOrdered } from '../client/concurrency.js';
import { deliveryContentRow } from '../transforms/delivery-content.js';
import { toBool } from '../transforms/values.js';
import { DAY_S, deliveryWindows, schemaOf, type CioStream, type StreamDeps } from './stream-kit.js';

export type DeliveryContentsState = CreatedCursorState;

export function deliveryContentsStream(deps: StreamDeps): CioStream<DeliveryContentsState> {
  return {
    name: 'delivery_contents',
    jsonSchema: schemaOf('delivery_contents'),
    primaryKey: [['delivery_id']],
    cursorField: ['created_at'],
    syncModes: ['full_refresh', 'incremental'],
    async *read({ config, state, logger }) {
      const cursor = new CreatedCursor('delivery_contents', config, state, (deps.messagesNowS ?? deps.nowS)());
      let skipped = 0;
      for await (const { window: [, b], pages } of deliveryWindows(deps, cursor.from, cursor.until, config.window_days * DAY_S)) {
        for await (const page of pages) {
          const todo = page.filter((m) => !toBool(m['forgotten']) && typeof m['id'] === 'string' && cursor.firstTime(m['id'], Number(m['created'])));
          for await (const [m, archived] of mapOrdered(todo, deps.concurrency, async (m) => [m, await deps.api.archivedMessage(m['id'] as string)] as const)) {
            if (archived) yield { kind: 'record', data: { ...deliveryContentRow(archived, m, config.workspace_id), created_at: new Date(Number(m['created']) * 1000).toISOString() } };
            else skipped++;
          }
        }
        yield { kind: 'state', state: cursor.checkpoint(b) };
      }
      if (skipped) logger.info(`delivery_contents: ${skipped} deliveries had no archived content (404) and were skipped`);
      if (cursor.from > cursor.until && cursor.state) yield { kind: 'state', state: cursor.checkpoint(cursor.state.created_at_s) };
    },
  };
}
