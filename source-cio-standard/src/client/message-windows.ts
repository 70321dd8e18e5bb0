// One read of GET /messages serves every stream of a sync that needs it. `deliveries`, `metrics` and
// `delivery_contents` all walk the same deliveries in time windows; this per-sync cache keeps, for each
// time range already read completely, the compact fields those streams use (transforms/delivery.ts,
// metric.ts, delivery-content.ts), so whichever of them runs later reads the range from memory.
//
// Correctness rules:
// - A range is cached only after its last page arrived (a failed or abandoned read caches nothing).
// - Each range remembers `asOfS`, the data clock when its read began. A reader that needs everything up
//   to `needS` (window end, metric bound) uses a range only if asOfS ≥ needS, so no delivery or metric
//   a fresh read would have returned is missing. Items are filtered by `created` to the asked range.
// - Memory is bounded (estimated bytes); over the bound nothing more is cached and reads go to the API.
import type { JsonObject } from './cio-client.js';
import { listOf } from './cio-client.js';
import type { CioApi } from './endpoints.js';

/** The message fields the three delivery streams read; everything else is dropped before caching. */
const KEEP = ['id', 'created', 'type', 'trigger_event_id', 'campaign_id', 'action_id', 'newsletter_id', 'content_id', 'broadcast_id',
  'parent_action_id', 'transactional_message_id', 'customer_id', 'recipient', 'subject', 'failure_message', 'forgotten', 'metrics'] as const;

export const DEFAULT_CACHE_BYTES = 128 * 1024 * 1024;
/** Items per page when a cached range is handed out (the API's page size). */
const PAGE = 1000;

export function compactMessage(m: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of KEEP) if (k in m) out[k] = m[k];
  const ids = m['customer_identifiers'];
  if (typeof ids === 'object' && ids !== null && 'cio_id' in ids) out['customer_identifiers'] = { cio_id: (ids as JsonObject)['cio_id'] };
  else if ('customer_identifiers' in m) out['customer_identifiers'] = ids;
  return out;
}

/**
 * Heap size of a compact message, on the safe side: its JSON text plus 64 bytes. (Measured on simulator
 * deliveries: ~430 bytes of heap each against ~580 estimated.)
 */
export function estimateBytes(m: JsonObject): number {
  return JSON.stringify(m).length + 64;
}

interface Range { from: number; to: number; asOfS: number; items: JsonObject[] }

export interface MessageWindowStats { apiRanges: number; cachedRanges: number; bytes: number; overBudget: boolean }

export class MessageWindowCache {
  private readonly ranges: Range[] = [];
  private bytes = 0;
  private pendingBytes = 0;
  private full: boolean;
  private apiRanges = 0;
  private cachedRanges = 0;

  /** `nowS`: the data clock (when a read begins); `maxBytes`: the memory bound (0 disables caching). */
  constructor(private readonly api: CioApi, private readonly nowS: () => number, private readonly maxBytes = DEFAULT_CACHE_BYTES) {
    this.full = maxBytes <= 0;
  }

  get stats(): MessageWindowStats {
    return { apiRanges: this.apiRanges, cachedRanges: this.cachedRanges, bytes: this.bytes, overBudget: this.full };
  }

  /**
   * The deliveries created in [fromS, toS], newest first, as pages; complete up to data time `needS`.
   * Parts already cached come from memory, the rest from the API (and are cached when they fit).
   */
  async *pages(fromS: number, toS: number, needS: number): AsyncGenerator<JsonObject[]> {
    let t = toS;
    while (t >= fromS) {
      const usable = this.ranges.filter((r) => r.asOfS >= needS);
      const hit = usable.find((r) => r.from <= t && t <= r.to);
      if (hit) {
        const lo = Math.max(fromS, hit.from);
        this.cachedRanges++;
        yield* cachedPages(hit.items, lo, t, lo <= hit.from && t >= hit.to);
        t = lo - 1;
        continue;
      }
      // The gap down to the next cached range below t (or to fromS).
      let lo = fromS;
      for (const r of usable) if (r.to < t && r.to + 1 > lo) lo = r.to + 1;
      yield* this.fetch(lo, t);
      t = lo - 1;
    }
  }

  private async *fetch(from: number, to: number): AsyncGenerator<JsonObject[]> {
    const asOfS = this.nowS();
    this.apiRanges++;
    let kept: JsonObject[] | undefined = this.full ? undefined : [];
    let keptBytes = 0;
    try {
      for await (const page of this.api.messages(from, to)) {
        const messages = listOf(page.body, 'messages');
        if (kept) {
          for (const m of messages) {
            const c = compactMessage(m);
            const b = estimateBytes(c);
            keptBytes += b;
            this.pendingBytes += b;
            kept.push(c);
          }
          if (this.bytes + this.pendingBytes > this.maxBytes) {
            this.full = true;
            this.pendingBytes -= keptBytes;
            keptBytes = 0;
            kept = undefined;
          }
        }
        yield messages;
      }
      if (kept) this.ranges.push({ from, to, asOfS, items: kept });
      this.bytes += kept ? keptBytes : 0;
    } finally {
      this.pendingBytes -= keptBytes;
    }
  }
}

function* cachedPages(items: readonly JsonObject[], lo: number, hi: number, whole: boolean): Generator<JsonObject[]> {
  let page: JsonObject[] = [];
  for (const m of items) {
    const c = Number(m['created']);
    if (!whole && !(c >= lo && c <= hi)) continue;
    page.push(m);
    if (page.length === PAGE) { yield page; page = []; }
  }
  if (page.length > 0) yield page;
}
