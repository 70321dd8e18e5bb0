// A real headless Chromium (Debian's package, installed by scripts/ensure-chromium.mjs when missing)
// driven by playwright-core, and a static server for the test page and the browser library's files.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';

const ENSURE = fileURLToPath(new URL('../../../scripts/ensure-chromium.mjs', import.meta.url));

/** The Chromium executable: installed now if missing, or an error saying why it cannot be. */
export function chromiumPath(): string {
  const r = spawnSync(process.execPath, [ENSURE], { encoding: 'utf8', timeout: 15 * 60_000 });
  if (r.status !== 0) throw new Error(`Chromium is not available: ${r.stderr || r.error?.message || `exit ${r.status}`}`);
  return r.stdout.trim().split('\n').at(-1)!;
}

/** A fresh profile (its own --user-data-dir) in a headless Chromium. */
export async function launchChromium(): Promise<BrowserContext> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    timeout: 120_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html', '.gz': 'application/gzip' };

/** Serves `pages` (path → html) and the files under `root` at `/lib/…`, on 127.0.0.1. */
export async function startStaticServer(root: string, pages: Record<string, string>): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (pages[path] !== undefined) { res.writeHead(200, { 'content-type': 'text/html' }); res.end(pages[path]); return; }
    if (path.startsWith('/lib/')) {
      const file = normalize(join(root, path.slice(5)));
      if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
      readFile(file).then((b) => { res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }); res.end(b); },
        () => { res.writeHead(404).end(); });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}
