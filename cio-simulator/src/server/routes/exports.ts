// The exports API (see ../exports.ts for the documented behaviour and the file format).
import { intId, route, type Ctx, type Route } from '../router.js';
import { badRequest, notFound } from '../errors.js';
import type { ExportRecord } from '../exports.js';
import { compileFilter } from './people.js';

function exportOf(ctx: Ctx, id: string | undefined): ExportRecord {
  const rec = ctx.exports.get(intId(id, 'export id'));
  if (!rec) throw notFound('export not found');
  return rec;
}

export const exportRoutes: Route[] = [
  route('POST', '/v1/exports/customers', (ctx) => {
    const body = ctx.body as { filters?: unknown; attributes?: unknown } | null;
    if (body === null || typeof body !== 'object' || body.filters === undefined) throw badRequest('filters is required: send {"filters": {...}}');
    const match = compileFilter(ctx.ws, body.filters);
    const attributes = body.attributes ?? [];
    if (!Array.isArray(attributes) || !attributes.every((a) => typeof a === 'string')) throw badRequest('attributes must be an array of strings');
    return { export: ctx.exports.view(ctx.exports.create(match, attributes as string[])) };
  }),
  route('GET', '/v1/exports', (ctx) => ({ exports: ctx.exports.all().map((e) => ctx.exports.view(e)) })),
  route('GET', '/v1/exports/:id', (ctx, [id]) => {
    const rec = exportOf(ctx, id);
    rec.polls++;
    return { export: ctx.exports.view(rec) };
  }),
  route('GET', '/v1/exports/:id/download', (ctx, [id]) => {
    const rec = exportOf(ctx, id);
    if (ctx.exports.statusOf(rec) !== 'done') throw badRequest('export is not ready to download yet (status pending)');
    return { url: ctx.exports.signedUrl(rec, ctx.origin) };
  }),
];
