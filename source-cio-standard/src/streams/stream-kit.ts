// What every stream shares: the App API (through CioApi), the data clock, schema loading, time windows.
import { loadJson, type JsonSchema, type SourceStream } from '@cio-dw/common';
import type { JsonObject } from '../client/cio-client.js';
import { listOf } from '../client/cio-client.js';
import type { CioApi } from '../client/endpoints.js';
import type { MessageWindowCache } from '../client/message-windows.js';
import { readAhead } from '../client/prefetch.js';
import type { SharedPeopleSnapshot } from './shared-people-snapshot.js';
import type { CioConfig } from '../config.js';

export interface StreamDeps {
  api: CioApi;
  /** "Now" of the data, epoch seconds (the workspace's clock; real time in production). */
  nowS: () => number;
  /** How many requests a fan-out keeps in flight; the shared rate limiter sets the real pace. */
  concurrency: number;
  /** Delivery time windows read ahead of the current one (default 3). */
  windowsAhead?: number;
  /** The sync's shared /messages reads (one read serves deliveries, metrics and delivery_contents). */
  messages?: MessageWindowCache;
  /**
   * "Now" of the /messages streams, epoch seconds: fixed at its first use in a sync, so the streams
   * ask for the same windows and a later stream can reuse an earlier one's read (default: nowS).
   */
  messagesNowS?: () => number;
  /** The sync's shared first-sync people snapshot (read once for people and attributes). */
  peopleSnapshot?: SharedPeopleSnapshot;
}

export type CioStream<S> = SourceStream<CioConfig, S>;

const schemaBase = new URL('../../resources/schemas/', import.meta.url);
export function schemaOf(name: string): JsonSchema {
  return loadJson<JsonSchema>(schemaBase, `${name}.json`);
}

export const DAY_S = 86400;

/** [from, to] split into inclusive windows of `sizeS` seconds, oldest first. */
export function* timeWindows(fromS: number, toS: number, sizeS: number): Generator<[number, number]> {
  for (let a = fromS; a <= toS; a += sizeS) yield [a, Math.min(toS, a + sizeS - 1)];
}

export { chunks } from '../client/chunks.js';

/**
 * Deliveries of each time window [from, to], window by window in order (newest first inside a window),
 * with the next windows read ahead (at most 4 pages buffered per window). Every delivery created up to
 * `toS` and every metric up to `toS` is in them: through `deps.messages`, parts already read by another
 * stream of this sync come from memory.
 */
export async function* deliveryWindows(deps: StreamDeps, fromS: number, toS: number, sizeS: number): AsyncGenerator<{ window: [number, number]; pages: AsyncIterable<JsonObject[]> }> {
  const windows = [...timeWindows(fromS, toS, sizeS)];
  const cache = deps.messages;
  const open = (w: [number, number]) => (cache ? cache.pages(w[0], w[1], toS) : mapPages(deps.api.messages(w[0], w[1])));
  for await (const { window, items } of readAhead(windows, open, deps.windowsAhead ?? 3, 4)) yield { window, pages: items };
}

async function* mapPages(pages: AsyncIterable<{ body: JsonObject }>): AsyncGenerator<JsonObject[]> {
  for await (const p of pages) yield listOf(p.body, 'messages');
}
