// `deliveries`: GET /messages in time windows (1000 per page), incremental on created_at.
// A delivery row never changes, so each delivery is emitted once. Each sync reads up to now − settle and
// re-reads `delivery_overlap_seconds` behind the previous bound (a delivery can show up in the App API a
// little after its `created` second); re-read deliveries are recognised by the state's memory of
// emitted ids (cursors/created-cursor.ts). Checkpointed after each window.
import { CreatedCursor, type CreatedCursorState } from '../cursors/created-cursor.js';
import { deliveryRow } from '../transforms/delivery.js';
import { DAY_S, deliveryWindows, schemaOf, type CioStream, type StreamDeps } from './stream-kit.js';

export type DeliveriesState = CreatedCursorState;

export function deliveriesStream(deps: StreamDeps): CioStream<DeliveriesState> {
  return {
    name: 'deliveries',
    jsonSchema: schemaOf('deliveries'),
    primaryKey: [['delivery_id']],
    cursorField: ['created_at'],
    syncModes: ['full_refresh', 'incremental'],
    async *read({ config, state, logger }) {
      const cursor = new CreatedCursor('deliveries', config, state, (deps.messagesNowS ?? deps.nowS)());
      for await (const { window: [, b], pages } of deliveryWindows(deps, cursor.from, cursor.until, config.window_days * DAY_S)) {
        for await (const page of pages) {
          for (const m of page) {
            if (typeof m['id'] === 'string' && !cursor.firstTime(m['id'], Number(m['created']))) continue;
            yield { kind: 'record', data: deliveryRow(m, config.workspace_id) };
          }
        }
        yield { kind: 'state', state: cursor.checkpoint(b) };
      }
      if (cursor.from > cursor.until && cursor.state) yield { kind: 'state', state: cursor.checkpoint(cursor.state.created_at_s) };
      if (cursor.reread) logger.info(`deliveries: ${cursor.reread} deliveries re-read in the overlap were already emitted (skipped)`);
      if (cursor.forgotten) logger.warn(`deliveries: the overlap held more deliveries than the state remembers; ${cursor.forgotten} may be emitted again on the next sync (same delivery_id)`);
    },
  };
}
