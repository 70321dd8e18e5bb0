// The collector's routes: Pipelines-compatible /v1/* endpoints (full and browser short names, CORS)
// and the webhook endpoint, on the common collector skeleton (healthz, drain, errors → answers).
// A 200 is sent only after the calls are in a durably created spool object; when some calls of a
// request are refused, the others are stored first and the answer (400/413) names the refused ones.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CollectorServer, readBody, retentionOptions, sendJson, SpoolWriter, writerOptions } from '@cio-dw/common';
import type { Clock, ListenAddress, Logger, SpoolStore } from '@cio-dw/common';
import type { Stamp } from '../calls/validate.js';
import { verifySignature, WriteKeys } from './auth.js';
import type { CollectorConfig } from './config.js';
import { corsHeaders, endpointOf, preflightHeaders } from './endpoints.js';
import { batchCalls, parseBody, singleCall, webhookCalls } from './ingest.js';
import type { Ingested } from './ingest.js';

export interface CollectorDeps {
  config: CollectorConfig;
  store: SpoolStore;
  clock: Clock;
  logger: Logger;
  writerId: string;
}

/** Methods the webhook endpoint accepts (Customer.io's Webhook destination lets you pick one). */
const WEBHOOK_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

export class Collector {
  readonly writer: SpoolWriter;
  /** Calls refused and calls stored flagged as failing the source spec, since start. */
  readonly counts = { rejected: 0, invalid: 0 };
  private readonly server: CollectorServer;
  private readonly keys: WriteKeys;

  constructor(private readonly d: CollectorDeps) {
    this.writer = new SpoolWriter({ store: d.store, clock: d.clock, logger: d.logger, writerId: d.writerId, ...writerOptions(d.config) });
    this.keys = new WriteKeys(d.config.write_keys);
    this.server = new CollectorServer({
      ...d.config.listen, shutdownTimeoutMs: d.config.shutdown_timeout_ms, logger: d.logger, name: 'collector',
      handle: (req, res, path) => this.route(req, res, path),
      errorBody,
      answerHeaders: (req, path) => (V1_PATH.test(path) ? corsHeaders(req) : {}),
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
    const m = V1_PATH.exec(path);
    const isWebhook = path === this.d.config.webhook_path.replace(/\/+$/, '');
    const cors = m ? corsHeaders(req) : {};
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => sendJson(res, status, body, { ...cors, ...headers });
    if (!m && !isWebhook) return send(404, errorBody(`no endpoint ${path}; use /v1/{identify,track,page,screen,group,alias,batch} or ${this.d.config.webhook_path}`));
    const endpoint = m ? endpointOf(m[1]!) : undefined;
    if (m && !endpoint) return send(404, errorBody(`no endpoint /v1/${m[1]}; use identify, track, page, screen, group, alias or batch`));
    if (m && req.method === 'OPTIONS') { res.writeHead(204, preflightHeaders(req)); res.end(); return; }
    const methods = isWebhook ? WEBHOOK_METHODS : ['POST'];
    if (!methods.includes(req.method ?? '')) return send(405, errorBody(`use ${methods.join(', ')}`), { allow: methods.join(', ') });
    if (this.server.draining) return send(503, errorBody('collector: shutting down; retry'), { connection: 'close', 'retry-after': '1' });
    const stamp: Stamp = { receivedAt: new Date(this.d.clock.now()).toISOString(), newId: randomUUID };
    const limits = this.d.config.limits;
    const o = { strict: /^\s*(1|true)\s*$/i.test(String(req.headers['x-strict-mode'] ?? '')), limits };
    let got: Ingested;
    if (isWebhook) {
      const secret = this.d.config.webhook_secret;
      if (!secret) return send(404, errorBody('the webhook endpoint is off: set webhook_secret in the collector config'));
      const body = await readBody(req, limits.max_webhook_bytes, 'webhook');
      const sig = req.headers['x-signature'];
      if (sig === undefined) return send(401, errorBody('X-Signature: missing; set the Shared Secret in the Webhook destination'));
      if (!verifySignature(body, secret, Array.isArray(sig) ? sig[0] : sig)) {
        return send(401, errorBody('X-Signature: does not match the body; check the shared secret'));
      }
      got = webhookCalls(parseBody(body), body, { ...stamp, source: 'webhook' }, o);
    } else {
      const name = endpoint!;
      const body = await readBody(req, name === 'batch' ? limits.max_batch_bytes : limits.max_call_bytes, name);
      // Authorization header (server libraries), else `writeKey` in the body (the browser library).
      let source = this.keys.fromHeader(req.headers.authorization);
      const parsed = source === undefined && body.includes('"writeKey"') ? safeParse(body) : undefined;
      if (source === undefined) source = this.keys.match((parsed as { writeKey?: unknown } | undefined)?.writeKey);
      if (source === undefined) {
        return send(401, errorBody('Authorization: missing or unknown write key; use HTTP Basic with the write key as user name and an empty password (or "writeKey" in the body)'),
          { 'www-authenticate': 'Basic realm="cio-collector"' });
      }
      const value = parsed ?? parseBody(body);
      got = name === 'batch' ? batchCalls(value, { ...stamp, source }, o) : singleCall(value, name, { ...stamp, source }, o);
    }
    if (got.lines.length) await this.writer.append(got.lines);
    this.counts.invalid += got.invalid;
    if (got.rejected.length === 0) return send(200, {});
    this.counts.rejected += got.rejected.length;
    const status = got.rejected.every((e) => e.status === 413) ? 413 : 400;
    const stored = got.lines.length ? [`${got.lines.length} other call(s) of this request were stored`] : [];
    return send(status, errorBody(...got.rejected.map((e) => e.message), ...stored));
  }
}

/** The Pipelines API's paths; their answers carry CORS headers for the browser library. */
const V1_PATH = /^\/v1\/([a-z]+)$/;

function safeParse(body: Buffer): unknown {
  try { return parseBody(body); } catch { return undefined; }
}

function errorBody(...messages: string[]): unknown {
  return { meta: { errors: messages } };
}
