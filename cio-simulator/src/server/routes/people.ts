// People: POST /customers (search), POST /customers/attributes, GET /customers/:id/attributes,
// segment membership and counts.
import { intId, route, type Ctx, type Json, type Route } from '../router.js';
import { badRequest, notFound } from '../errors.js';
import { decodeToken, encodeToken, parseLimit } from '../paging.js';
import { hash } from '../../rng.js';
import type { Person } from '../../generator/people.js';
import type { Segment } from '../../generator/catalog.js';
import type { IdType, Workspace } from '../../workspace.js';

type Filter = (p: Person) => boolean;

/** Compile the search filter grammar (and/or/not/segment/attribute with eq|exists); 400 when malformed. */
export function compileFilter(ws: Workspace, f: unknown): Filter {
  if (typeof f !== 'object' || f === null || Array.isArray(f)) throw badRequest('filter must be an object');
  const keys = Object.keys(f);
  if (keys.length !== 1) throw badRequest('each filter node must have exactly one of and, or, not, segment, attribute');
  const [key] = keys as [string];
  const v = (f as Record<string, unknown>)[key];
  if (key === 'and' || key === 'or') {
    if (!Array.isArray(v) || v.length === 0) throw badRequest(`filter.${key} must be a non-empty array`);
    const parts = v.map((x) => compileFilter(ws, x));
    return key === 'and' ? (p) => parts.every((g) => g(p)) : (p) => parts.some((g) => g(p));
  }
  if (key === 'not') { const g = compileFilter(ws, v); return (p) => !g(p); }
  if (key === 'segment') {
    const id = (v as { id?: unknown } | null)?.id;
    if (typeof id !== 'number') throw badRequest('filter.segment.id must be a number');
    const seg = ws.segment(id);
    return (p) => seg !== undefined && !seg.deleted && ws.isMember(seg, p.index);
  }
  if (key === 'attribute') {
    const a = v as { field?: unknown; operator?: unknown; value?: unknown } | null;
    if (typeof a?.field !== 'string') throw badRequest('filter.attribute.field must be a string');
    const field = a.field;
    const get = (p: Person): string | undefined =>
      field === 'cio_id' ? p.cio_id : field === 'id' ? p.id ?? undefined : field === 'email' ? p.email ?? undefined : p.attributes[field];
    if (a.operator === 'exists') return (p) => get(p) !== undefined;
    if (a.operator === 'eq') { const want = String(a.value); return (p) => get(p) === want; }
    throw badRequest('filter.attribute.operator must be eq or exists');
  }
  throw badRequest(`unknown filter key ${key}`);
}

function segmentOf(ctx: Ctx, id: string | undefined): Segment {
  const s = ctx.ws.segment(intId(id, 'segment id'));
  if (!s || s.deleted) throw notFound('segment not found');
  return s;
}

function idTypeOf(ctx: Ctx): IdType {
  const t = ctx.query.get('id_type') ?? 'id';
  if (t !== 'id' && t !== 'email' && t !== 'cio_id') throw badRequest('id_type must be one of id, email, cio_id');
  return t;
}

export const peopleRoutes: Route[] = [
  route('POST', '/v1/customers', (ctx) => {
    const limit = parseLimit(ctx.query, 50, 1000);
    const body = ctx.body as { filter?: unknown } | null;
    if (body === null || typeof body !== 'object' || body.filter === undefined) throw badRequest('a filter is required: send {"filter": {...}}');
    const match = compileFilter(ctx.ws, body.filter);
    const ws = ctx.ws;
    let i = decodeToken('cs', ctx.query.get('start'))?.pos ?? 0;
    const identifiers: Json[] = [];
    const ids: string[] = [];
    while (i < ws.personCount && identifiers.length < limit) {
      const p = ws.person(i++);
      if (p.deleted || !match(p)) continue;
      identifiers.push({ email: p.email, id: p.id, cio_id: p.cio_id });
      ids.push(p.id ?? '');
    }
    return { identifiers: ctx.ser.list(identifiers), ids: ctx.ser.list(ids), next: i < ws.personCount ? encodeToken('cs', i) : null };
  }),
  route('POST', '/v1/customers/attributes', (ctx) => {
    const idType = idTypeOf(ctx);
    const body = ctx.body as { ids?: unknown } | null;
    const ids = body?.ids;
    if (!Array.isArray(ids) || ids.length === 0) throw badRequest('ids must be a non-empty array');
    if (ids.length > 100) throw badRequest('at most 100 ids per request');
    const customers: Json[] = [];
    for (const id of ids) {
      if (typeof id !== 'string' && typeof id !== 'number') throw badRequest('ids must be strings');
      const i = ctx.ws.findPerson(idType, String(id));
      if (i === undefined) continue;
      const p = ctx.ws.person(i);
      if (!p.deleted) customers.push(ctx.ser.customerItem(p));
    }
    return { customers };
  }),
  route('GET', '/v1/customers/:id/attributes', (ctx, [id]) => {
    const i = ctx.ws.findPerson(idTypeOf(ctx), id ?? '');
    if (i === undefined || ctx.ws.person(i).deleted) throw notFound('customer not found');
    return { customer: ctx.ser.customer(ctx.ws.person(i)) };
  }),
  route('GET', '/v1/segments/:id/customer_count', (ctx, [id]) => {
    const s = segmentOf(ctx, id);
    let count = 0;
    for (let i = 0; i < ctx.ws.personCount; i++) if (ctx.ws.isMember(s, i)) count++;
    return { count };
  }),
  route('GET', '/v1/segments/:id/membership', (ctx, [id]) => {
    const s = segmentOf(ctx, id);
    const ws = ctx.ws;
    const limit = parseLimit(ctx.query, 1000, 30000);
    const cursor = decodeToken('sm', ctx.query.get('start'));
    let i = cursor?.pos ?? 0;
    if (cursor?.empty) return { identifiers: [], ids: [], next: encodeToken('sm', i), segment_id: s.id };
    const identifiers: Json[] = [];
    const ids: string[] = [];
    while (i < ws.personCount && identifiers.length < limit) {
      if (ws.isMember(s, i)) {
        const p = ws.person(i);
        identifiers.push({ cio_id: p.cio_id, id: p.id, email: p.email });
        ids.push(p.id ?? '');
      }
      i++;
    }
    const out: Json = { identifiers: ctx.ser.list(identifiers), ids: ctx.ser.list(ids), segment_id: s.id };
    if (i >= ws.personCount) out['next'] = '';
    else out['next'] = encodeToken('sm', i, ctx.quirks.emptyPages && hash(ws.seed, s.id, i) % 4 === 0);
    return out;
  }),
];
