// Unreachable endpoints for tests on 127.0.0.1: a port that refuses connections, and a server that
// accepts connections and never answers.
import { createServer, type Socket } from 'node:net';

/** A port that refuses connections (a listener opened and closed again: it was free a moment ago). */
export async function refusedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface SilentServer { port: number; close(): Promise<void> }

/** A TCP server that accepts connections and never says a word; close() also drops its connections. */
export async function silentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => { sockets.add(s); s.on('error', () => undefined); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
