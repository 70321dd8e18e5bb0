// GET /v1/activities: newest first, last 30 days of the simulator clock, numeric `next` tokens.
import { route, type Json, type Route } from '../router.js';
import { badRequest } from '../errors.js';
import { decodeNumericToken, parseLimit } from '../paging.js';
import type { IdType } from '../../workspace.js';

export const ACTIVITY_WINDOW_S = 30 * 86400;
const SCAN_BUDGET = 50_000;

export const activityRoutes: Route[] = [
  route('GET', '/v1/activities', (ctx) => {
    const q = ctx.query;
    const ws = ctx.ws;
    const limit = parseLimit(q, 10, 100);
    const type = q.get('type');
    const name = q.get('name');
    const deleted = q.get('deleted') === 'true';
    const customerId = q.get('customer_id');
    const idType = (q.get('id_type') ?? 'id') as IdType;
    if (!['id', 'email', 'cio_id'].includes(idType)) throw badRequest('id_type must be one of id, email, cio_id');
    let person: number | undefined = -1;
    if (customerId !== null) person = ws.findPerson(idType, customerId);
    const lo = ws.firstActivityAtOrAfter(ws.now - ACTIVITY_WINDOW_S);
    const top = ws.activityCount - 1;
    let i = Math.min(decodeNumericToken(q.get('start')) ?? top, top);
    const out: Json[] = [];
    let scanned = 0;
    while (i >= lo && out.length < limit && scanned < SCAN_BUDGET) {
      const a = ws.activity(i);
      i--; scanned++;
      if (a.timestamp > ws.now) continue;
      if (customerId !== null && a.personIndex !== person) continue;
      if (type !== null && a.type !== type) continue;
      if (name !== null && a.name !== name) continue;
      if (!deleted && ws.person(a.personIndex).deleted) continue;
      out.push(ctx.ser.activity(a));
    }
    return { activities: out, next: i < lo ? '' : String(i) };
  }),
];
