// A small HTTP proxy in front of a real server (here the S3 test server) that can hold requests:
// `holdNext(match)` makes the next matching request wait, body read, until `release()`; it is then
// forwarded unchanged, so the write lands when the test decides. `dropAnswers(n)` forwards the next
// n requests and destroys the connection instead of answering (the write lands, the answer is lost).
import { createServer, request } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldingProxy {
  url: string;
  /** Holds the next request for which `match` is true; resolves `held` when it arrives. */
  holdNext(match: (req: IncomingMessage) => boolean): { held: Promise<void>; release: () => void };
  /** The next `n` requests matching `match` are forwarded, then their answers are dropped. */
  dropAnswers(n: number, match?: (req: IncomingMessage) => boolean): void;
  /** Requests seen, by method. */
  seen: Record<string, number>;
  /** Every request forwarded: method, path, headers and body, in arrival order. */
  requests: { method: string; url: string; headers: IncomingMessage['headers']; body: Buffer; answerDropped: boolean }[];
  close(): Promise<void>;
}

export async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  const t = new URL(target);
  let hold: { match: (r: IncomingMessage) => boolean; arrived: () => void; gate: Promise<void> } | undefined;
  let drops = 0;
  let dropMatch: (r: IncomingMessage) => boolean = () => true;
  const seen: Record<string, number> = {};
  const requests: HoldingProxy['requests'] = [];
  const server: Server = createServer((req, res) => {
    seen[req.method ?? '?'] = (seen[req.method ?? '?'] ?? 0) + 1;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let wait: Promise<void> = Promise.resolve();
      if (hold && hold.match(req)) { const h = hold; hold = undefined; h.arrived(); wait = h.gate; }
      const drop = drops > 0 && dropMatch(req) ? (drops--, true) : false;
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), answerDropped: drop });
      void wait.then(() => {
        const up = request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (ans) => {
          const body: Buffer[] = [];
          ans.on('data', (c: Buffer) => body.push(c));
          ans.on('end', () => {
            if (drop) { req.socket.destroy(); return; }
            res.writeHead(ans.statusCode ?? 502, ans.headers);
            res.end(Buffer.concat(body));
          });
        });
        up.on('error', () => req.socket.destroy());
        up.end(Buffer.concat(chunks));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    requests,
    holdNext(match) {
      let arrived!: () => void;
      let release!: () => void;
      const held = new Promise<void>((r) => { arrived = r; });
      const gate = new Promise<void>((r) => { release = r; });
      hold = { match, arrived, gate };
      return { held, release };
    },
    dropAnswers(n, match = () => true) { drops = n; dropMatch = match; },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
