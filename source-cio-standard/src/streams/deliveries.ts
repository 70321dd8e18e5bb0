// `deliveries`: GET /messages in time windows (1000 per page), incremental on created_at.
// A delivery row never changes, so each delivery is emitted once: the state says "every delivery
// created at or before `created_at_s` was emitted", checkpointed after each window.
import { startDateSeconds } from '../config.js';
import { deliveryRow } from '../transforms/delivery.js';
import { DAY_S, deliveryWindows, schemaOf, type CioStream, type StreamDeps } from './stream-kit.js';

export interface DeliveriesState { created_at_s: number }

export function deliveriesStream(deps: StreamDeps): CioStream<DeliveriesState> {
  return {
    name: 'deliveries',
    jsonSchema: schemaOf('deliveries'),
    primaryKey: [['delivery_id']],
    cursorField: ['created_at'],
    syncModes: ['full_refresh', 'incremental'],
    async *read({ config, state }) {
      const from = state ? state.created_at_s + 1 : startDateSeconds(config);
      const until = (deps.messagesNowS ?? deps.nowS)();
      for await (const { window: [, b], pages } of deliveryWindows(deps, from, until, config.window_days * DAY_S)) {
        for await (const page of pages) {
          for (const m of page) yield { kind: 'record', data: deliveryRow(m, config.workspace_id) };
        }
        yield { kind: 'state', state: { created_at_s: b } };
      }
      if (from > until && state) yield { kind: 'state', state };
    },
  };
}
