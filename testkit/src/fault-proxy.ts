// A plain HTTP forwarding proxy on 127.0.0.1 for integration tests: every request goes to a real
// server (Azurite, …) unchanged; the proxy only counts requests per operation (named by a
// classifier the caller gives) and, when told, answers the next matching request(s) itself with an
// error status, or resets the connection. It never invents a success.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyFault {
  /** Operation name as the classifier names it (e.g. 'StageBlock'). */
  operation: string;
  /** HTTP status; 0 resets the connection. Default 500. */
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** How many requests fail. Default 1. */
  times?: number;
}

export interface FaultProxy {
  /** http://127.0.0.1:<port> */
  origin: string;
  port: number;
  /** Requests per operation since start (or reset), plus 'fault:<operation>' for injected failures. */
  requests(): Record<string, number>;
  resetRequests(): void;
  injectFault(f: ProxyFault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, classify: (req: IncomingMessage, url: URL) => string): Promise<FaultProxy> {
  const to = new URL(target);
  let counts: Record<string, number> = {};
  let faults: Array<Required<Pick<ProxyFault, 'operation' | 'status' | 'times'>> & ProxyFault> = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const op = classify(req, url);
    counts[op] = (counts[op] ?? 0) + 1;
    const f = faults.find((x) => x.operation === op && x.times > 0);
    if (f) {
      f.times--;
      counts[`fault:${op}`] = (counts[`fault:${op}`] ?? 0) + 1;
      req.resume();
      req.once('end', () => {
        if (f.status === 0) { req.socket.destroy(); return; }
        const body = f.body ?? '';
        res.writeHead(f.status, { 'content-length': Buffer.byteLength(body), ...f.headers });
        res.end(body);
      });
      return;
    }
    const up = httpRequest({
      host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host },
    }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      ur.pipe(res);
    });
    up.on('error', () => req.socket.destroy());
    req.pipe(up);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests: () => ({ ...counts }),
    resetRequests: () => { counts = {}; },
    injectFault: (f) => { faults.push({ ...f, status: f.status ?? 500, times: f.times ?? 1 }); },
    clearFaults: () => { faults = []; },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
