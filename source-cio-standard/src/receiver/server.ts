// The reporting-webhook receiver: POST <path> with one signed event. Checks, in order: method,
// X-CIO-Signature with X-CIO-Timestamp inside the replay window (401 + reason), body size (413),
// the event's fields (400 naming the field). Answers 200 only once the event is in a durably created
// spool object (group commit keeps that to milliseconds; Customer.io gives up after 4 s).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CollectorServer, readBody, retentionOptions, sendJson, SpoolWriter, writerOptions } from '@cio-dw/common';
import type { Clock, ListenAddress, Logger, SpoolStore } from '@cio-dw/common';
import { parseReportingEvent } from '../webhooks/event.js';
import { verifyReportingSignature } from '../webhooks/signature.js';
import type { ReceiverConfig } from './config.js';

export interface ReceiverDeps {
  config: ReceiverConfig;
  store: SpoolStore;
  clock: Clock;
  logger: Logger;
  writerId: string;
}

export class ReportingReceiver {
  readonly writer: SpoolWriter;
  private readonly server: CollectorServer;
  /** Requests refused, by reason (for logs and tests). */
  readonly refused = new Map<string, number>();

  constructor(private readonly d: ReceiverDeps) {
    this.writer = new SpoolWriter({ store: d.store, clock: d.clock, logger: d.logger, writerId: d.writerId, ...writerOptions(d.config) });
    this.server = new CollectorServer({
      ...d.config.listen, shutdownTimeoutMs: d.config.shutdown_timeout_ms, logger: d.logger, name: 'cio webhook receiver',
      handle: (req, res, path) => this.route(req, res, path),
      onClose: () => this.writer.close(),
      ...(d.config.retention_hours > 0 ? { retention: retentionOptions(d.config, d.store, d.clock) } : {}),
    });
  }

  listen(): Promise<ListenAddress> { return this.server.listen(); }
  close(): Promise<void> { return this.server.close(); }

  /** A refusal with a machine-readable reason in the answer: `{error, reason}`. */
  private refuse(res: ServerResponse, status: number, reason: string, message: string): void {
    this.refused.set(reason, (this.refused.get(reason) ?? 0) + 1);
    sendJson(res, status, { error: message, reason });
  }

  private async route(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const want = this.d.config.path.replace(/\/+$/, '') || '/';
    if (path !== want) return sendJson(res, 404, { error: `cio webhook: no endpoint ${path}; Customer.io should POST to ${want}` });
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'cio webhook: use POST' }, { allow: 'POST' });
    if (this.server.draining) return sendJson(res, 503, { error: 'cio webhook: shutting down; retry' }, { connection: 'close', 'retry-after': '1' });
    const body = await readBody(req, this.d.config.max_body_bytes, 'body');
    const nowS = Math.floor(this.d.clock.now() / 1000);
    const check = verifyReportingSignature(body, req.headers['x-cio-timestamp'], req.headers['x-cio-signature'], this.d.config.signing_key, nowS, this.d.config.replay_window_seconds);
    if (!check.ok) return this.refuse(res, 401, check.reason, check.message);
    const parsed = parseReportingEvent(body);
    if (!parsed.ok) return this.refuse(res, 400, 'invalid_event', parsed.error);
    // The spool keeps the payload as sent (compact JSON, one line): the source parses it again on read.
    await this.writer.append([JSON.stringify(JSON.parse(body.toString('utf8')))]);
    sendJson(res, 200, {});
  }
}
