// Test helper: a tiny HTTP server that records reporting-webhook requests.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received { headers: IncomingHttpHeaders; body: string; json: Record<string, unknown> }

export interface Receiver {
  url: string;
  received: Received[];
  /** Most requests being handled at once. */
  maxInFlight(): number;
  close(): Promise<void>;
}

/** `respond` picks the status for each request (default 200); `delayMs` holds each response. */
export async function startReceiver(opts: { respond?: (r: Received, n: number) => number; delayMs?: number } = {}): Promise<Receiver> {
  const received: Received[] = [];
  let inFlight = 0; let max = 0;
  const server: Server = createServer((req, res) => {
    inFlight++; max = Math.max(max, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: Record<string, unknown> = {};
      try { json = JSON.parse(body) as Record<string, unknown>; } catch { /* raw */ }
      const r = { headers: req.headers, body, json };
      received.push(r);
      const status = opts.respond ? opts.respond(r, received.length) : 200;
      setTimeout(() => { inFlight--; res.writeHead(status).end(); }, opts.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/cio`, received, maxInFlight: () => max,
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
