// `check` against endpoints that cannot answer: the built CLIs of source-cio-standard (App API URL),
// source-cio-advanced (S3 spool) and destination-bucket (S3 store) must print exactly one CONNECTION_STATUS FAILED with a message, exit 0,
// and do so well within Airbyte's 60 s, both when the port refuses connections and when a server
// accepts the connection but never answers (a firewall black hole or a hung proxy). Time: the check
// must answer < 15 s after start on an idle machine; on a loaded one, starting Node alone can take
// 10 s, so the test subtracts the connector's own start-up time, measured by a `spec` run started at
// the same moment, and requires the rest to stay under 12 s (plus an absolute ceiling of 45 s).
// (How fast source-cio-standard's own check gives up is issue #12's; the runner's deadline bounds it.)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseStdout, refusedPort, silentServer, type SilentServer } from '@cio-dw/testkit';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'check-unreachable-'));
const SECRET = 'unreachable-secret-key-5b1f0c';
const servers: SilentServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** A TCP server on 127.0.0.1 that accepts connections and never says a word. */
async function blackHole(): Promise<number> {
  const server = await silentServer();
  servers.push(server);
  return server.port;
}

const configs = {
  'source-cio-standard': (endpoint: string) => ({
    app_api_key: SECRET, region: 'US', workspace_id: 1, start_date: '2026-01-01T00:00:00Z', api_url: `${endpoint}/v1`,
  }),
  'source-cio-advanced': (endpoint: string) => ({
    spool: { storage: 's3', bucket: 'cio-spool', region: 'us-east-1', endpoint, force_path_style: true, access_key_id: 'AKIAUNREACHABLE', secret_access_key: SECRET },
  }),
  'destination-bucket': (endpoint: string) => ({
    store: { store_type: 's3', bucket: 'cio-bucket', region: 'us-east-1', endpoint, path_style: true, access_key_id: 'AKIAUNREACHABLE', secret_access_key: SECRET },
    format: { format_type: 'jsonl' },
  }),
} as const;

async function check(connector: keyof typeof configs, endpoint: string, label: string) {
  const path = join(dir, `${connector}-${label}.json`);
  writeFileSync(path, JSON.stringify(configs[connector](endpoint)));
  return run(connector, ['check', '--config', path]);
}

async function run(connector: keyof typeof configs, args: string[]) {
  const started = Date.now();
  const child = spawn(process.execPath, [join(root, connector, 'bin', `${connector}.js`), ...args], {
    env: { ...process.env, NODE_NO_WARNINGS: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
  child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
  // A safety net far above the limit, so a hang fails the assertion below instead of the whole run.
  const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((r) => child.on('close', r));
  clearTimeout(kill);
  return { code, stdout, stderr, seconds: (Date.now() - started) / 1000 };
}

for (const connector of Object.keys(configs) as (keyof typeof configs)[]) {
  test(`${connector} check: refused and black-holed endpoints give CONNECTION_STATUS FAILED within 12 s of start-up (< 15 s on an idle machine)`, async () => {
    const endpoints = { refused: `http://127.0.0.1:${await refusedPort()}`, 'black hole': `http://127.0.0.1:${await blackHole()}` };
    const [spec, ...runs] = await Promise.all([
      run(connector, ['spec']),
      ...Object.entries(endpoints).map(async ([label, url]) => ({ label, ...await check(connector, url, label.replace(' ', '-')) })),
    ]);
    assert.equal(spec!.code, 0);
    for (const r of runs as ({ label: string } & Awaited<ReturnType<typeof run>>)[]) {
      const { messages, violations } = parseStdout(r.stdout);
      const what = `${connector}, ${r.label}: ${r.stdout.slice(0, 600)} ${r.stderr.slice(-300)}`;
      assert.deepEqual(violations, [], what);
      const statuses = messages.filter((m) => m.type === 'CONNECTION_STATUS');
      assert.equal(statuses.length, 1, `exactly one CONNECTION_STATUS; ${what}`);
      const status = statuses[0]!.type === 'CONNECTION_STATUS' ? statuses[0]!.connectionStatus : undefined;
      assert.equal(status?.status, 'FAILED', what);
      assert.ok((status?.message ?? '').length > 20, `an actionable message; ${what}`);
      assert.equal(messages.filter((m) => m.type === 'TRACE' && m.trace.type === 'ERROR').length, 0, `no TRACE error; ${what}`);
      assert.equal(r.code, 0, what);
      const startup = spec!.seconds;
      assert.ok(r.seconds - startup < 12 && r.seconds < 45, `${connector}, ${r.label}: took ${r.seconds.toFixed(1)} s; starting and printing the spec took ${startup.toFixed(1)} s`);
      assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET), `the secret never appears; ${connector}, ${r.label}`);
    }
  });
}
