// Campaigns, broadcasts, newsletters, segments (metadata) and workspaces.
import { intId, route, type Ctx, type Json, type Route } from '../router.js';
import { badRequest, notFound } from '../errors.js';
import { decodeToken, encodeToken, parseLimit } from '../paging.js';
import type { Action, Broadcast, Campaign, Newsletter } from '../../generator/catalog.js';

const ACTIONS_PER_PAGE = 10;

function campaignOf(ctx: Ctx, id: string | undefined): Campaign {
  const c = ctx.ws.catalog.campaigns.find((x) => x.id === intId(id, 'campaign id'));
  if (!c || c.deleted) throw notFound('campaign not found');
  return c;
}
function broadcastOf(ctx: Ctx, id: string | undefined): Broadcast {
  const b = ctx.ws.catalog.broadcasts.find((x) => x.id === intId(id, 'broadcast id'));
  if (!b || b.deleted) throw notFound('broadcast not found');
  return b;
}
export function newsletterOf(ctx: Ctx, id: string | undefined): Newsletter {
  const n = ctx.ws.catalog.newsletters.find((x) => x.id === intId(id, 'newsletter id'));
  if (!n || n.deleted) throw notFound('newsletter not found');
  return n;
}
export { campaignOf, broadcastOf };

/** Actions 10 per page; `end` says how the last page signals the end ("" or a missing key). */
function actionPage(ctx: Ctx, tag: string, actions: Action[], end: 'empty' | 'missing'): Json {
  const start = decodeToken(tag, ctx.query.get('start'))?.pos ?? 0;
  const page = actions.slice(start, start + ACTIONS_PER_PAGE).map((a) => ctx.ser.action(a));
  const more = start + ACTIONS_PER_PAGE < actions.length;
  const out: Json = { actions: page };
  if (more) out['next'] = encodeToken(tag, start + ACTIONS_PER_PAGE);
  else if (end === 'empty') out['next'] = '';
  return out;
}
function actionOf(actions: Action[], id: string | undefined): Action {
  const a = actions.find((x) => x.id === intId(id, 'action id'));
  if (!a) throw notFound('action not found');
  return a;
}

export const catalogRoutes: Route[] = [
  // The id is sent as a string: Customer.io's OpenAPI (journeys-app.json, listWorkspaces) types it integer
  // but its example is "13XXXX", a string; clients must accept both. `people` is the cached person count
  // ("Customer.io caches these counts, so your data may be up to two hours old", same operation).
  route('GET', '/v1/workspaces', (ctx) => ({
    workspaces: [{ id: String(ctx.ws.id), name: `Simulated workspace ${ctx.ws.id}`, messages_sent: ctx.ws.deliveryCount, billable_messages_sent: ctx.ws.deliveryCount, people: ctx.ws.personCount, object_types: 0, objects: 0 }],
  })),
  route('GET', '/v1/campaigns', (ctx) => ({ campaigns: ctx.ws.catalog.campaigns.filter((c) => !c.deleted).map((c) => ctx.ser.campaign(c)) })),
  route('GET', '/v1/campaigns/:id', (ctx, [id]) => ({ campaign: ctx.ser.campaign(campaignOf(ctx, id)) })),
  route('GET', '/v1/campaigns/:id/actions', (ctx, [id]) => actionPage(ctx, 'ca', campaignOf(ctx, id).actions, 'empty')),
  route('GET', '/v1/campaigns/:id/actions/:aid', (ctx, [id, aid]) => ({ action: ctx.ser.action(actionOf(campaignOf(ctx, id).actions, aid)) })),
  route('GET', '/v1/broadcasts', (ctx) => ({ broadcasts: ctx.ws.catalog.broadcasts.filter((b) => !b.deleted).map((b) => ctx.ser.broadcast(b)) })),
  route('GET', '/v1/broadcasts/:id', (ctx, [id]) => ({ broadcast: ctx.ser.broadcast(broadcastOf(ctx, id)) })),
  route('GET', '/v1/broadcasts/:id/actions', (ctx, [id]) => actionPage(ctx, 'ba', broadcastOf(ctx, id).actions, 'missing')),
  route('GET', '/v1/broadcasts/:id/actions/:aid', (ctx, [id, aid]) => ({ action: ctx.ser.action(actionOf(broadcastOf(ctx, id).actions, aid)) })),
  route('GET', '/v1/newsletters', (ctx) => {
    const limit = parseLimit(ctx.query, 10, 100);
    const sort = ctx.query.get('sort') ?? 'asc';
    if (sort !== 'asc' && sort !== 'desc') throw badRequest('sort must be asc or desc');
    const all = ctx.ws.catalog.newsletters.filter((n) => !n.deleted).sort((a, b) => (sort === 'asc' ? a.id - b.id : b.id - a.id));
    const start = decodeToken('nl', ctx.query.get('start'))?.pos ?? 0;
    const more = start + limit < all.length;
    return { newsletters: all.slice(start, start + limit).map((n) => ctx.ser.newsletter(n)), next: more ? encodeToken('nl', start + limit) : null };
  }),
  route('GET', '/v1/newsletters/:id', (ctx, [id]) => ({ newsletter: ctx.ser.newsletter(newsletterOf(ctx, id)) })),
  route('GET', '/v1/newsletters/:id/contents', (ctx, [id]) => ({ contents: newsletterOf(ctx, id).contents.map((c) => ctx.ser.content(c)) })),
  route('GET', '/v1/newsletters/:id/contents/:cid', (ctx, [id, cid]) => {
    const c = newsletterOf(ctx, id).contents.find((x) => x.id === intId(cid, 'content id'));
    if (!c) throw notFound('content not found');
    return { content: ctx.ser.content(c) };
  }),
  route('GET', '/v1/segments', (ctx) => ({ segments: ctx.ws.catalog.segments.filter((s) => !s.deleted).map((s) => ctx.ser.segment(s)) })),
  route('GET', '/v1/segments/:id', (ctx, [id]) => {
    const s = ctx.ws.segment(intId(id, 'segment id'));
    if (!s || s.deleted) throw notFound('segment not found');
    return { segment: ctx.ser.segment(s) };
  }),
];
