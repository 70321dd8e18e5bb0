// Typed App API endpoints over CioClient. Each method knows its path, page size and list key.
import { TransientError, parseRetryAfter } from '@cio-dw/common';
import { CioClient, listOf, type JsonObject, type Page } from './cio-client.js';
import { IGNORE_404 } from './error-table.js';

/** What one archived_message request gave: the content, no content retained (404), or the daily quota is used up. */
export type ArchivedResult = { kind: 'found'; message: JsonObject } | { kind: 'missing' } | { kind: 'quota' };

/** archived_message answers 404 (not retained) and 429 to the caller, who tells a daily quota from a per-second limit. */
const ARCHIVED_TABLE = Object.freeze({ 404: { action: 'ignore' as const }, 429: { action: 'ignore' as const } });
/** A per-second limit asks for seconds; a Retry-After longer than this with nothing remaining is a quota. */
const LONG_WAIT_MS = 60_000;

/** Largest page sizes the App API allows. */
export const LIMITS = Object.freeze({ messages: 1000, customers: 1000, attributesIds: 100, activities: 100, newsletters: 100 });

/** Match-all people search (POST /customers requires a filter). */
export const MATCH_ALL_FILTER = Object.freeze({ and: [{ attribute: { field: 'cio_id', operator: 'exists' } }] });

export class CioApi {
  constructor(readonly client: CioClient) {}

  /** Deliveries created in [startTs, endTs] (both inclusive), newest first. */
  messages(startTs: number, endTs: number, start?: string): AsyncGenerator<Page> {
    return this.client.pages('/messages', { limit: LIMITS.messages, start_ts: startTs, end_ts: endTs }, { listKey: 'messages', ...(start ? { start } : {}) });
  }

  /**
   * The archived content of one delivery. "This endpoint is limited to 100 requests per day"
   * (docs.customer.io/integrations/api/app/tag/messages/getArchivedMessage/), and a daily quota's 429
   * carries no Retry-After ("If you hit a daily quota, this header is not set", the OpenAPI's 429): such a
   * 429 (or one with nothing remaining and a wait of more than a minute) is `quota`, answered at once,
   * without backing off or pausing the shared rate limiter. A per-second 429 (with Retry-After) waits and retries.
   */
  async archivedMessage(deliveryId: string): Promise<ArchivedResult> {
    const path = `/messages/${encodeURIComponent(deliveryId)}/archived_message`;
    for (let limited = 0; ; limited++) {
      const r = await this.client.callRaw('GET', path, {}, undefined, { errorTable: ARCHIVED_TABLE });
      if (r.status === 404) return { kind: 'missing' };
      if (r.status === 429) {
        const waitMs = parseRetryAfter(r.headers.get('retry-after'), Date.now());
        const noneLeft = r.headers.get('x-ratelimit-remaining') === '0';
        if (waitMs === undefined || (noneLeft && waitMs > LONG_WAIT_MS)) return { kind: 'quota' };
        if (limited >= 30) throw new TransientError('cio: GET /messages/{id}/archived_message kept being rate-limited (429 with Retry-After, 30 times); try again later or lower requests_per_second.');
        this.client.limiter.penalize(waitMs);
        continue;
      }
      const m = r.body?.['archived_message'];
      return typeof m === 'object' && m !== null ? { kind: 'found', message: m as JsonObject } : { kind: 'missing' };
    }
  }

  async campaigns(): Promise<JsonObject[]> { return listOf(await this.client.get('/campaigns'), 'campaigns'); }
  async broadcasts(): Promise<JsonObject[]> { return listOf(await this.client.get('/broadcasts'), 'broadcasts'); }
  async segments(): Promise<JsonObject[]> { return listOf(await this.client.get('/segments'), 'segments'); }

  /** All actions of a campaign (10 per page), or undefined when the campaign was deleted (404). */
  campaignActions(id: number | string): Promise<JsonObject[] | undefined> { return this.allActions(`/campaigns/${id}/actions`); }
  broadcastActions(id: number | string): Promise<JsonObject[] | undefined> { return this.allActions(`/broadcasts/${id}/actions`); }

  private async allActions(path: string): Promise<JsonObject[] | undefined> {
    const out: JsonObject[] = [];
    let pages = 0;
    for await (const page of this.client.pages(path, {}, { listKey: 'actions', errorTable: IGNORE_404 })) {
      pages++;
      out.push(...listOf(page.body, 'actions'));
    }
    return pages === 0 ? undefined : out;
  }

  newsletters(start?: string): AsyncGenerator<Page> {
    return this.client.pages('/newsletters', { limit: LIMITS.newsletters, sort: 'asc' }, { listKey: 'newsletters', ...(start ? { start } : {}) });
  }

  async newsletterContents(id: number | string): Promise<JsonObject[] | undefined> {
    const body = await this.client.get(`/newsletters/${id}/contents`, {}, { errorTable: IGNORE_404 });
    return body === undefined ? undefined : listOf(body, 'contents');
  }

  /** Every person (match-all search), 1000 identifiers per page. */
  searchPeople(start?: string): AsyncGenerator<Page> {
    return this.client.pages('/customers', { limit: LIMITS.customers }, {
      listKey: 'identifiers', method: 'POST', body: { filter: MATCH_ALL_FILTER }, ...(start ? { start } : {}),
    });
  }

  /** Attributes of up to 100 people by cio_id; unknown (or deleted) ids are left out by the API. */
  async customerAttributes(cioIds: string[]): Promise<JsonObject[]> {
    if (cioIds.length === 0) return [];
    const body = await this.client.call('POST', '/customers/attributes', { id_type: 'cio_id' }, { ids: cioIds });
    // The spec wraps items as {customer:{...}}; the live API returns them flat.
    return listOf(body, 'customers').map((c) => (typeof c['customer'] === 'object' && c['customer'] !== null ? c['customer'] as JsonObject : c));
  }

  /** The cached person count of the workspace (GET /workspaces `people`, "may be up to two hours old"), if listed. */
  async peopleCount(workspaceId: number): Promise<number | undefined> {
    const w = listOf(await this.client.get('/workspaces'), 'workspaces').find((x) => String(x['id']) === String(workspaceId));
    const n = Number(w?.['people']);
    return Number.isFinite(n) ? n : undefined;
  }

  /** POST /exports/customers of every person (the match-all filter) with these attribute columns; the export object. */
  async createPeopleExport(attributes: readonly string[]): Promise<JsonObject> {
    return exportOf(await this.client.call('POST', '/exports/customers', {}, { filters: MATCH_ALL_FILTER, attributes }), 'POST /exports/customers');
  }

  /** GET /exports/{id}: the export object (status pending | done | failed). */
  async getExport(id: number | string): Promise<JsonObject> {
    return exportOf(await this.client.get(`/exports/${id}`), 'GET /exports/{id}');
  }

  /** GET /exports/{id}/download: a signed URL to the file ("expires after 15 minutes"). */
  async exportDownloadUrl(id: number | string): Promise<string> {
    const url = (await this.client.get(`/exports/${id}/download`))?.['url'];
    if (typeof url !== 'string' || url === '') throw new TransientError('cio: GET /exports/{id}/download answered without a url; try again later.');
    return url;
  }

  /** Activities newest first (100 per page); an empty page ends paging. `deleted=true` includes deleted people. */
  activities(type: string | undefined, start?: string): AsyncGenerator<Page> {
    return this.client.pages('/activities', { limit: LIMITS.activities, deleted: true, ...(type ? { type } : {}) }, {
      listKey: 'activities', stopOnEmpty: true, ...(start ? { start } : {}),
    });
  }
}

function exportOf(body: JsonObject | undefined, what: string): JsonObject {
  const e = body?.['export'];
  if (typeof e !== 'object' || e === null) throw new TransientError(`cio: ${what} answered without an export object; try again later.`);
  return e as JsonObject;
}
