// Route table: "GET /v1/campaigns/:id/actions" patterns to handlers. The pattern is also the stats key.
import type { Quirks } from '../options.js';
import type { Workspace } from '../workspace.js';
import type { Serializer } from './serialize.js';
import type { DailyQuota } from './quota.js';
import type { Exports } from './exports.js';
import { badRequest } from './errors.js';

export interface Ctx {
  method: string; path: string; query: URLSearchParams; body: unknown;
  ws: Workspace; ser: Serializer; quirks: Quirks;
  /** The archived_message daily quota. */
  archivedQuota: DailyQuota;
  /** Customer exports made through POST /exports/customers. */
  exports: Exports;
  /** `http://host:port` of the listener that got the request (for URLs the simulator hands out). */
  origin: string;
}
export type Json = Record<string, unknown>;
export type Handler = (ctx: Ctx, params: string[]) => Json;
export interface Route { method: string; pattern: string; re: RegExp; handler: Handler }

export function route(method: string, pattern: string, handler: Handler): Route {
  const re = new RegExp(`^${pattern.replace(/:[a-z_]+/g, '([^/]+)')}$`);
  return { method, pattern, re, handler };
}

export function matchRoute(routes: Route[], method: string, path: string): { route: Route; params: string[] } | undefined {
  for (const r of routes) {
    if (r.method !== method) continue;
    const m = r.re.exec(path);
    if (m) return { route: r, params: m.slice(1).map((s) => decodeURIComponent(s)) };
  }
  return undefined;
}

/** A positive integer path id, else 400 (as the API does for malformed ids). */
export function intId(s: string | undefined, what: string): number {
  if (s === undefined || !/^\d+$/.test(s)) throw badRequest(`${what} must be an integer`);
  return Number(s);
}
