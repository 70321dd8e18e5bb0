// The HTTP skeleton every collector shares: listen, /healthz, requests counted in flight, errors
// mapped to answers (HttpError → its status, SpoolUnavailableError → 503 + Retry-After, else 500),
// periodic spool retention, and a graceful close (stop accepting, drain requests, then `onClose`).
// Routes are the caller's: `handle(req, res, path)` answers with `sendJson`.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { HttpError } from './http-error.js';
import { deleteExpired } from './spool-retention.js';
import type { SpoolStore } from './spool-store.js';
import { SpoolUnavailableError } from './spool-writer.js';

export interface CollectorServerOptions {
  host: string;
  port: number;
  /** How long close() waits for requests in flight. */
  shutdownTimeoutMs: number;
  logger: Logger;
  /** Names the service in messages, e.g. `collector`. */
  name: string;
  /** Answers one request other than /healthz. `path` has no query and no trailing slash. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
  /** The JSON body of an error answer (default `{error: message}`). */
  errorBody?(message: string): unknown;
  /** Headers every answer to this request carries, errors included (e.g. CORS for a browser). */
  answerHeaders?(req: IncomingMessage, path: string): Record<string, string>;
  /** Runs after requests have drained (e.g. close the spool writer). */
  onClose?(): Promise<void>;
  /** Deletes spool objects older than `retentionMs` every `everyMs` (0 or absent: never). */
  retention?: { store: SpoolStore; clock: Clock; retentionMs: number; everyMs: number };
}

export interface ListenAddress { host: string; port: number; url: string }

export class CollectorServer {
  private readonly server: Server;
  private inFlight = 0;
  private closing = false;
  private drained: (() => void)[] = [];
  private retentionTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: CollectorServerOptions) {
    this.server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => { void this.serve(req, res); });
  }

  /** True once close() has started: routes answer 503 so clients retry elsewhere. */
  get draining(): boolean { return this.closing; }

  /** Requests being served right now (from their first byte until their answer is written). */
  get requestsInFlight(): number { return this.inFlight; }

  async listen(): Promise<ListenAddress> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.o.port, this.o.host, () => { this.server.off('error', reject); resolve(); });
    });
    const addr = this.server.address() as AddressInfo;
    const r = this.o.retention;
    if (r && r.retentionMs > 0) {
      const run = () => {
        deleteExpired(r.store, r.clock.now(), r.retentionMs, this.o.logger)
          .catch((e: Error) => this.o.logger.warn(`spool: retention failed: ${e.message}`));
      };
      run();
      this.retentionTimer = setInterval(run, r.everyMs);
      this.retentionTimer.unref();
    }
    const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    return { host: addr.address, port: addr.port, url: `http://${shown}:${addr.port}` };
  }

  /** Stops accepting, lets requests in flight finish (up to the timeout), then runs onClose. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    this.server.closeIdleConnections();
    if (this.inFlight > 0) {
      await Promise.race([
        new Promise<void>((r) => this.drained.push(r)),
        new Promise<void>((r) => setTimeout(r, this.o.shutdownTimeoutMs).unref()),
      ]);
    }
    await this.o.onClose?.();
    this.server.closeAllConnections();
    await closed;
  }

  private errorBody(message: string): unknown {
    return this.o.errorBody ? this.o.errorBody(message) : { error: message };
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '') || '/';
    const always = this.o.answerHeaders?.(req, path) ?? {};
    try {
      if (path === '/healthz') {
        if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, this.errorBody('use GET'), { allow: 'GET, HEAD' });
        return this.closing ? sendJson(res, 503, { status: 'draining' }) : sendJson(res, 200, { status: 'ok' });
      }
      await this.o.handle(req, res, path);
    } catch (e) {
      if (e instanceof HttpError) sendJson(res, e.status, this.errorBody(e.message), { ...always, ...e.headers });
      else if (e instanceof SpoolUnavailableError) sendJson(res, 503, this.errorBody(e.message), { ...always, 'retry-after': String(e.retryAfterS) });
      else {
        this.o.logger.error(`${this.o.name}: unexpected error: ${(e as Error).stack ?? String(e)}`);
        sendJson(res, 500, this.errorBody(`${this.o.name}: internal error; retry`), always);
      }
    } finally {
      if (--this.inFlight === 0) for (const f of this.drained.splice(0)) f();
    }
  }
}

/** Writes a JSON answer (once; later calls for the same response are ignored). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
