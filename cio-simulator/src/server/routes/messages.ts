// Deliveries: GET /messages (and per campaign/broadcast/newsletter), newest first, start_ts/end_ts inclusive.
import { route, type Ctx, type Json, type Route } from '../router.js';
import { badRequest, HttpError, notFound } from '../errors.js';
import { decodeToken, encodeToken, parseIntParam, parseLimit } from '../paging.js';
import { METRICS, type Delivery } from '../../generator/deliveries.js';
import { hash } from '../../rng.js';
import { broadcastOf, campaignOf, newsletterOf } from './catalog.js';

const TYPES = ['email', 'webhook', 'twilio', 'whatsapp', 'slack', 'push', 'in_app', 'live_notification'];
/** Most deliveries examined per request; a filtered read can return an empty page that carries `next`. */
export const SCAN_BUDGET = 20_000;
/** Longest start_ts..end_ts range of one /messages request: 6 months (183 days). */
export const MAX_WINDOW_S = 183 * 86400;

interface Fixed { campaign_id?: number; broadcast_id?: number; newsletter_id?: number }

export function listMessages(ctx: Ctx, fixed: Fixed): Json {
  const q = ctx.query;
  const ws = ctx.ws;
  const limit = parseLimit(q, 50, 1000);
  const startTs = parseIntParam(q, 'start_ts');
  const endTs = parseIntParam(q, 'end_ts');
  if (startTs !== undefined && endTs !== undefined && startTs > endTs) throw badRequest('start_ts must not be after end_ts');
  // One request covers at most 6 months of creation time (issue #12's reading of the listMessages
  // reference, docs.customer.io/integrations/api/app/tag/messages/listMessages/; the exports API says the
  // same of its default range, see customerio.md §4.3). Over it: 400, so a client never silently gets less.
  if (startTs !== undefined && endTs !== undefined && endTs - startTs > MAX_WINDOW_S) throw badRequest('start_ts and end_ts may be at most 6 months apart');
  const type = q.get('type');
  if (type !== null && !TYPES.includes(type)) throw badRequest(`type must be one of ${TYPES.join(', ')}`);
  const metric = q.get('metric');
  if (metric !== null && !(METRICS as readonly string[]).includes(metric)) throw badRequest(`metric must be one of ${METRICS.join(', ')}`);
  const campaignId = fixed.campaign_id ?? parseIntParam(q, 'campaign_id');
  const newsletterId = fixed.newsletter_id ?? parseIntParam(q, 'newsletter_id');
  const broadcastId = fixed.broadcast_id;
  const actionId = parseIntParam(q, 'action_id');
  const drafts = q.get('drafts') === 'true';
  const tracked = q.get('get_tracked_responses') === 'true';

  const lo = startTs === undefined ? 0 : ws.firstDeliveryAtOrAfter(startTs);
  const hiExclusive = endTs === undefined ? ws.deliveryCount : ws.firstDeliveryAtOrAfter(endTs + 1);
  const cursor = decodeToken('m', q.get('start'));
  let i = Math.min(cursor?.pos ?? hiExclusive - 1, hiExclusive - 1);
  if (cursor?.empty) return { messages: [], next: encodeToken('m', i) };

  const match = (d: Delivery): boolean => {
    const s = d.sender;
    if (drafts) return false; // the simulator has no drafts
    if (!ws.deliveryVisible(d)) return false; // realism: listed a little after `created`
    if (type !== null && s.type !== type) return false;
    if (campaignId !== undefined && s.campaign_id !== campaignId) return false;
    if (newsletterId !== undefined && s.newsletter_id !== newsletterId) return false;
    if (broadcastId !== undefined && s.broadcast_id !== broadcastId) return false;
    if (actionId !== undefined && s.action_id !== actionId) return false;
    if (metric !== null && ws.metricsAt(d)[metric] === undefined) return false;
    return true;
  };
  const out: Json[] = [];
  let scanned = 0;
  while (i >= lo && out.length < limit && scanned < SCAN_BUDGET) {
    const d = ws.delivery(i);
    if (match(d)) out.push(ctx.ser.message(d, tracked));
    i--; scanned++;
  }
  if (i < lo) return { messages: out, next: '' };
  const empty = ctx.quirks.emptyPages && hash(ws.seed, i, 0xe) % 5 === 0;
  return { messages: out, next: encodeToken('m', i, empty) };
}

function deliveryOf(ctx: Ctx, id: string | undefined): Delivery {
  const i = id === undefined ? undefined : ctx.ws.deliveryIndexOf(id);
  if (i === undefined) throw notFound('message not found');
  return ctx.ws.delivery(i);
}

export const messageRoutes: Route[] = [
  route('GET', '/v1/messages', (ctx) => listMessages(ctx, {})),
  route('GET', '/v1/messages/:id', (ctx, [id]) => ({ message: ctx.ser.message(deliveryOf(ctx, id), ctx.query.get('get_tracked_responses') === 'true') })),
  route('GET', '/v1/messages/:id/archived_message', (ctx, [id]) => {
    const d = deliveryOf(ctx, id);
    // "This endpoint is limited to 100 requests per day" (getArchivedMessage). Past the daily quota: 429
    // *without* Retry-After ("If you hit a daily quota, this header is not set": the 429 description of
    // Customer.io's OpenAPI, journeys-app.json). Checked before the 404 of forgotten content.
    if (!ctx.archivedQuota.take()) throw new HttpError(429, 'daily limit of archived message requests reached (100 per day); try again tomorrow');
    if (d.forgotten) throw notFound('archived message not found: the message content was not retained');
    return { archived_message: ctx.ser.archived(d) };
  }),
  route('GET', '/v1/campaigns/:id/messages', (ctx, [id]) => listMessages(ctx, { campaign_id: campaignOf(ctx, id).id })),
  route('GET', '/v1/broadcasts/:id/messages', (ctx, [id]) => listMessages(ctx, { broadcast_id: broadcastOf(ctx, id).id })),
  route('GET', '/v1/newsletters/:id/messages', (ctx, [id]) => listMessages(ctx, { newsletter_id: newsletterOf(ctx, id).id })),
];
