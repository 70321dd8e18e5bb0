// The collector's routes: Pipelines-compatible /v1/* endpoints and the webhook endpoint, on the
// common collector skeleton (healthz, drain, errors → answers). A 200 is sent only after the calls
// are in a durably created spool object.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CollectorServer, parseJson, readBody, retentionOptions, sendJson, SpoolWriter, writerOptions } from '@cio-dw/common';
import type { Clock, ListenAddress, Logger, SpoolStore } from '@cio-dw/common';
import { isCallType } from '../calls/call.js';
import type { Stamp } from '../calls/validate.js';
import { verifySignature, WriteKeys } from './auth.js';
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
  private readonly server: CollectorServer;
  private readonly keys: WriteKeys;

  constructor(private readonly d: CollectorDeps) {
    this.writer = new SpoolWriter({ store: d.store, clock: d.clock, logger: d.logger, writerId: d.writerId, ...writerOptions(d.config) });
    this.keys = new WriteKeys(d.config.write_keys);
    this.server = new CollectorServer({
      ...d.config.listen, shutdownTimeoutMs: d.config.shutdown_timeout_ms, logger: d.logger, name: 'collector',
      handle: (req, res, path) => this.route(req, res, path),
      errorBody,
      onClose: () => this.writer.close(),
      ...(d.config.retention_hours > 0 ? { retention: retentionOptions(d.config, d.store, d.clock) } : {}),
    });
  }

  listen(): Promise<ListenAddress> { return this.server.listen(); }

  /** Stops accepting calls, lets requests in flight finish (up to the timeout), writes what is pending. */
  close(): Promise<void> { return this.server.close(); }

  /** Requests being served right now. */
  get requestsInFlight(): number { return this.server.requestsInFlight; }

  private async route(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => sendJson(res, status, body, headers);
    const m = /^\/v1\/([a-z]+)$/.exec(path);
    const isWebhook = path === this.d.config.webhook_path.replace(/\/+$/, '');
    if (!m && !isWebhook) return send(404, errorBody(`no endpoint ${path}; use /v1/{identify,track,page,screen,group,alias,batch} or ${this.d.config.webhook_path}`));
    if (req.method !== 'POST') return send(405, errorBody('use POST'), { allow: 'POST' });
    if (this.server.draining) return send(503, errorBody('collector: shutting down; retry'), { connection: 'close', 'retry-after': '1' });
    const stamp: Stamp = { receivedAt: new Date(this.d.clock.now()).toISOString(), newId: randomUUID };
    const limits = this.d.config.limits;
    let lines: string[];
    if (isWebhook) {
      const secret = this.d.config.webhook_secret;
      if (!secret) return send(404, errorBody('the webhook endpoint is off: set webhook_secret in the collector config'));
      const body = await readBody(req, limits.max_webhook_bytes, 'webhook');
      const sig = req.headers['x-signature'];
      if (sig === undefined) return send(401, errorBody('X-Signature: missing; set the Shared Secret in the Webhook destination'));
      if (!verifySignature(body, secret, Array.isArray(sig) ? sig[0] : sig)) {
        return send(401, errorBody('X-Signature: does not match the body; check the shared secret'));
      }
      lines = webhookCalls(parseJson(body, 'body'), stamp, limits);
    } else {
      const name = m![1]!;
      if (name !== 'batch' && !isCallType(name)) return send(404, errorBody(`no endpoint /v1/${name}; use identify, track, page, screen, group, alias or batch`));
      if (!this.keys.accepts(req.headers.authorization)) {
        return send(401, errorBody('Authorization: missing or unknown write key; use HTTP Basic with the write key as user name and an empty password'),
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
    send(200, {});
  }
}

function errorBody(message: string): unknown {
  return { meta: { errors: [message] } };
}
