// The collector's HTTP server: Pipelines-compatible /v1/* endpoints, the webhook endpoint, /healthz.
// A 200 is sent only after the calls are in a durably created spool object.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock, Logger } from '@cio-dw/common';
import { isCallType } from '../calls/call.js';
import { CallError } from '../calls/validate.js';
import type { Stamp } from '../calls/validate.js';
import { deleteExpired } from '../spool/retention.js';
import type { SpoolStore } from '../spool/store.js';
import { SpoolUnavailableError, SpoolWriter } from '../spool/writer.js';
import { verifySignature, WriteKeys } from './auth.js';
import { parseJson, readBody } from './body.js';
import type { CollectorConfig } from './config.js';
import { batchCalls, singleCall, webhookCalls } from './ingest.js';

export interface CollectorDeps {
  config: CollectorConfig;
  store: SpoolStore;
  clock: Clock;
  logger: Logger;
  writerId: string;
}

export class Collector {
  readonly writer: SpoolWriter;
  private readonly server: Server;
  private readonly keys: WriteKeys;
  private inFlight = 0;
  private draining = false;
  private drained: (() => void)[] = [];
  private retentionTimer: NodeJS.Timeout | undefined;

  constructor(private readonly d: CollectorDeps) {
    const g = d.config.group_commit;
    this.writer = new SpoolWriter({
      store: d.store, clock: d.clock, logger: d.logger, writerId: d.writerId, maxWriteMs: d.config.max_write_ms,
      windowMs: g.window_ms, maxCalls: g.max_calls, maxBytes: g.max_bytes,
      maxConcurrentWrites: g.max_concurrent_writes, maxPendingBytes: g.max_pending_bytes,
    });
    this.keys = new WriteKeys(d.config.write_keys);
    this.server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => { void this.handle(req, res); });
  }

  async listen(): Promise<{ host: string; port: number; url: string }> {
    const { host, port } = this.d.config.listen;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => { this.server.off('error', reject); resolve(); });
    });
    const addr = this.server.address() as AddressInfo;
    if (this.d.config.retention_hours > 0) {
      const run = () => {
        deleteExpired(this.d.store, this.d.clock.now(), this.d.config.retention_hours * 3_600_000, this.d.logger)
          .catch((e: Error) => this.d.logger.warn(`spool: retention failed: ${e.message}`));
      };
      run();
      this.retentionTimer = setInterval(run, this.d.config.retention_check_minutes * 60_000);
      this.retentionTimer.unref();
    }
    const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    return { host: addr.address, port: addr.port, url: `http://${shown}:${addr.port}` };
  }

  /** Stops accepting calls, lets requests in flight finish (up to the timeout), writes what is pending. */
  async close(): Promise<void> {
    this.draining = true;
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    this.server.closeIdleConnections();
    if (this.inFlight > 0) {
      await Promise.race([
        new Promise<void>((r) => this.drained.push(r)),
        new Promise<void>((r) => setTimeout(r, this.d.config.shutdown_timeout_ms).unref()),
      ]);
    }
    await this.writer.close();
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    try {
      await this.route(req, res);
    } catch (e) {
      if (e instanceof CallError) send(res, e.status, errorBody(e.message));
      else if (e instanceof SpoolUnavailableError) send(res, 503, errorBody(e.message), { 'retry-after': String(e.retryAfterS) });
      else {
        this.d.logger.error(`collector: unexpected error: ${(e as Error).stack ?? String(e)}`);
        send(res, 500, errorBody('collector: internal error; retry'));
      }
    } finally {
      if (--this.inFlight === 0) for (const f of this.drained.splice(0)) f();
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '') || '/';
    if (path === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, errorBody('use GET'), { allow: 'GET, HEAD' });
      return this.draining ? send(res, 503, { status: 'draining' }) : send(res, 200, { status: 'ok' });
    }
    const m = /^\/v1\/([a-z]+)$/.exec(path);
    const isWebhook = path === this.d.config.webhook_path.replace(/\/+$/, '');
    if (!m && !isWebhook) return send(res, 404, errorBody(`no endpoint ${path}; use /v1/{identify,track,page,screen,group,alias,batch} or ${this.d.config.webhook_path}`));
    if (req.method !== 'POST') return send(res, 405, errorBody('use POST'), { allow: 'POST' });
    if (this.draining) return send(res, 503, errorBody('collector: shutting down; retry'), { connection: 'close', 'retry-after': '1' });
    const stamp: Stamp = { receivedAt: new Date(this.d.clock.now()).toISOString(), newId: randomUUID };
    const limits = this.d.config.limits;
    let lines: string[];
    if (isWebhook) {
      const secret = this.d.config.webhook_secret;
      if (!secret) return send(res, 404, errorBody('the webhook endpoint is off: set webhook_secret in the collector config'));
      const body = await readBody(req, limits.max_webhook_bytes, 'webhook');
      const sig = req.headers['x-signature'];
      if (sig === undefined) return send(res, 401, errorBody('X-Signature: missing; set the Shared Secret in the Webhook destination'));
      if (!verifySignature(body, secret, Array.isArray(sig) ? sig[0] : sig)) {
        return send(res, 401, errorBody('X-Signature: does not match the body; check the shared secret'));
      }
      lines = webhookCalls(parseJson(body, 'body'), stamp, limits);
    } else {
      const name = m![1]!;
      if (name !== 'batch' && !isCallType(name)) return send(res, 404, errorBody(`no endpoint /v1/${name}; use identify, track, page, screen, group, alias or batch`));
      if (!this.keys.accepts(req.headers.authorization)) {
        return send(res, 401, errorBody('Authorization: missing or unknown write key; use HTTP Basic with the write key as user name and an empty password'),
          { 'www-authenticate': 'Basic realm="cio-collector"' });
      }
      if (name === 'batch') {
        const body = await readBody(req, limits.max_batch_bytes, 'batch');
        lines = batchCalls(parseJson(body, 'body'), stamp, limits);
      } else {
        const body = await readBody(req, limits.max_call_bytes, name);
        lines = singleCall(parseJson(body, 'body'), name, stamp);
      }
    }
    await this.writer.append(lines);
    send(res, 200, {});
  }
}

function errorBody(message: string): unknown {
  return { meta: { errors: [message] } };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
