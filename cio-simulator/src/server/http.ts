// The node:http front: auth (key + region), rate limit, faults, routing, stats.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Quirks, RateLimitOptions, Region } from '../options.js';
import type { Workspace } from '../workspace.js';
import { hexRef } from '../rng.js';
import { errorBody, HttpError } from './errors.js';
import { Faults } from './faults.js';
import { RateLimiter } from './rate-limit.js';
import { matchRoute, type Route } from './router.js';
import { Serializer } from './serialize.js';
import { StatsRecorder } from './stats.js';
import { catalogRoutes } from './routes/catalog.js';
import { messageRoutes } from './routes/messages.js';
import { activityRoutes } from './routes/activities.js';
import { peopleRoutes } from './routes/people.js';
import { exportRoutes } from './routes/exports.js';
import { DailyQuota } from './quota.js';
import { Exports } from './exports.js';

const ROUTES: Route[] = [...messageRoutes, ...peopleRoutes, ...activityRoutes, ...catalogRoutes, ...exportRoutes];
const MAX_BODY = 1 << 20;

export interface ApiConfig {
  ws: Workspace; apiKey: string; region: Region; quirks: Quirks;
  rateLimit: RateLimitOptions; faults: Faults; stats: StatsRecorder;
  /** Called before each routed request (busy mode moves the clock and adds data). */
  beforeRoute?: () => void;
  /** archived_message requests per day (0: unlimited). */
  archivedMessagesPerDay: number;
  exportPendingPolls: number;
}

export class Api {
  private readonly limiter: RateLimiter;
  private readonly ser: Serializer;
  private refCounter = 0;
  constructor(private readonly cfg: ApiConfig) {
    this.limiter = new RateLimiter(cfg.rateLimit.perSecond, cfg.rateLimit.now ?? Date.now);
    this.ser = new Serializer(cfg.ws, cfg.quirks);
    this.archivedQuota = new DailyQuota(cfg.archivedMessagesPerDay, () => cfg.ws.now);
    this.exports = new Exports(cfg.ws, cfg.exportPendingPolls);
  }
  private readonly archivedQuota: DailyQuota;
  readonly exports: Exports;

  listen(region: Region, host: string, port: number): Promise<Server> {
    const server = createServer((req, res) => { void this.handle(region, req, res); });
    server.keepAliveTimeout = 5000;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => { server.off('error', reject); resolve(server); });
    });
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': typeof body === 'string' ? 'text/html' : 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text), ...headers,
    });
    res.end(text);
  }

  private async handle(region: Region, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { cfg } = this;
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const found = matchRoute(ROUTES, method, path);
    const endpoint = found ? `${method} ${found.route.pattern}` : `${method} (unmatched)`;
    const reply = (status: number, body: unknown, headers?: Record<string, string>): void => {
      cfg.stats.record(endpoint, status);
      this.send(res, status, body, headers);
    };
    let raw: Buffer;
    try { raw = await readBody(req); } catch { cfg.stats.record(endpoint, 400); res.destroy(); return; }
    // Signed file links (export downloads): the signature in the URL is the credential, no Bearer key.
    if (method === 'GET' && path.startsWith('/sim-files/')) {
      cfg.stats.record('GET /sim-files/exports/:file', this.exports.serve(path, url.searchParams, res));
      return;
    }

    const auth = req.headers.authorization ?? '';
    const key = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
    if (key !== cfg.apiKey || region !== cfg.region) {
      reply(401, errorBody(401, 'Unauthorized request: check your App API key and that you are using the API host of the region your workspace is in'));
      return;
    }
    if (!this.limiter.take(key)) {
      const ref = hexRef(cfg.ws.seed, 0x429, ++this.refCounter);
      const limit = cfg.rateLimit.perSecond;
      reply(429, errorBody(429, `rate limited to ${limit} requests per 1s (reference ${ref})`), cfg.rateLimit.retryAfterHeader ? { 'retry-after': '1' } : {});
      return;
    }
    let truncate = false;
    for (const f of cfg.faults.match(path)) {
      if (f.kind === 'truncate') truncate = true;
      else if (f.kind === 'slow') await new Promise((r) => setTimeout(r, f.delayMs));
      else if (f.kind === 'drop') { cfg.stats.record(endpoint, 'dropped'); req.socket.destroy(); return; }
      else if (f.status === 502) { reply(502, '<html><body><h1>502 Bad Gateway</h1></body></html>'); return; }
      else { reply(f.status, errorBody(f.status, f.status === 503 ? 'service unavailable' : 'internal server error')); return; }
    }
    if (!found) { reply(404, errorBody(404, `no such endpoint: ${method} ${path}`)); return; }
    try {
      cfg.beforeRoute?.();
      let body: unknown = null;
      if (raw.length > 0) {
        try { body = JSON.parse(raw.toString('utf8')); } catch { throw new HttpError(400, 'request body is not valid JSON'); }
      }
      const origin = `http://${req.headers.host ?? 'sim.invalid'}`;
      const out = found.route.handler({ method, path, query: url.searchParams, body, ws: cfg.ws, ser: this.ser, quirks: cfg.quirks, archivedQuota: this.archivedQuota, exports: this.exports, origin }, found.params);
      const payload = cfg.quirks.extraFields ? { ...out, sim_envelope_field: true } : out;
      if (truncate) {
        const text = JSON.stringify(payload);
        cfg.stats.record(endpoint, 'truncated');
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(text.slice(0, Math.floor(text.length / 2)));
        return;
      }
      reply(200, payload);
    } catch (e) {
      if (e instanceof HttpError) reply(e.status, errorBody(e.status, e.detail), e.headers);
      else reply(500, errorBody(500, `internal server error: ${(e as Error).message}`));
    }
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) { reject(new Error('body too large')); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function portOf(server: Server): number { return (server.address() as AddressInfo).port; }
