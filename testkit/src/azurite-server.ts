// A real Azure Blob Storage server for integration tests: Azurite (the npm package `azurite`, Blob
// service only) in a child process on 127.0.0.1 (port 0), its data in a temp folder, behind a
// counting/fault-injecting forwarding proxy (fault-proxy.ts). Needs the dev dependency azurite.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  BlobServiceClient, ContainerSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { startFaultProxy, type FaultProxy, type ProxyFault } from './fault-proxy.js';

/** Azurite's well-known development account (public, documented by Microsoft). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteServerOptions {
  /** Containers created before start. Default ['test-container']. */
  containers?: string[];
  /** Max time to wait for Azurite to listen. Default 90 s (the machine may be loaded). */
  startTimeoutMs?: number;
}

export interface AzuriteServer {
  /** Blob service URL through the proxy, account in the path: http://127.0.0.1:<port>/devstoreaccount1 */
  endpoint: string;
  /** Blob service URL of Azurite itself (no fault injection, not counted). */
  directEndpoint: string;
  accountName: string;
  accountKey: string;
  /** A connection string for the proxied endpoint. */
  connectionString: string;
  /** A container-scoped SAS token (no leading '?') with the given permissions, default 'racwdl'. */
  sasToken(container: string, permissions?: string): string;
  createContainer(name: string): Promise<void>;
  /** Requests per operation (PutBlob, StageBlock, CommitBlockList, GetBlob, GetProperties, ListBlobs, DeleteBlob, …). */
  requests(): Record<string, number>;
  resetRequests(): void;
  injectFault(f: ProxyFault): void;
  clearFaults(): void;
  /** Names of blobs with uncommitted blocks only (invisible in normal listings). */
  uncommittedBlobs(container: string): Promise<string[]>;
  dir: string;
  startupMs: number;
  close(): Promise<void>;
}

/** Azure operation names for the proxy's counters and faults. */
export function azureOperation(method: string, url: URL): string {
  const comp = url.searchParams.get('comp');
  const restype = url.searchParams.get('restype');
  if (restype === 'container') return comp === 'list' ? 'ListBlobs' : `${method}Container`;
  if (comp === 'block') return 'StageBlock';
  if (comp === 'blocklist') return method === 'PUT' ? 'CommitBlockList' : 'GetBlockList';
  if (comp) return `${method}:${comp}`;
  return ({ PUT: 'PutBlob', GET: 'GetBlob', HEAD: 'GetProperties', DELETE: 'DeleteBlob' } as Record<string, string>)[method] ?? method;
}

export async function startAzuriteServer(opts: AzuriteServerOptions = {}): Promise<AzuriteServer> {
  const t0 = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'azurite-'));
  const main = createRequire(import.meta.url).resolve('azurite/dist/src/blob/main.js');
  const child = spawn(process.execPath, [main, '--blobHost', '127.0.0.1', '--blobPort', '0', '--location', dir,
    '--skipApiVersionCheck', '--disableTelemetry', '--silent'], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1', NODE_OPTIONS: '' },
  });
  let output = '';
  child.stderr.on('data', (d: Buffer) => { output = (output + d.toString()).slice(-4000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let proxy: FaultProxy | undefined;
  try {
    const direct = await new Promise<string>((resolve, reject) => {
      const ms = opts.startTimeoutMs ?? 90_000;
      const timer = setTimeout(() => reject(new Error(`azurite did not start within ${ms} ms: ${output}`)), ms);
      createInterface({ input: child.stdout }).on('line', (line) => {
        output = (output + line + '\n').slice(-4000);
        const m = /successfully listens on (http:\/\/[0-9.]+:\d+)/.exec(line);
        if (m) { clearTimeout(timer); resolve(m[1]!); }
      });
      void exited.then(() => { clearTimeout(timer); reject(new Error(`azurite exited before listening: ${output}`)); });
    });
    proxy = await startFaultProxy(direct, (req, url) => azureOperation(req.method ?? 'GET', url));
    const p = proxy;
    const cred = new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY);
    const directEndpoint = `${direct}/${AZURITE_ACCOUNT}`;
    const endpoint = `${p.origin}/${AZURITE_ACCOUNT}`;
    const admin = new BlobServiceClient(directEndpoint, cred);
    const createContainer = async (name: string): Promise<void> => { await admin.getContainerClient(name).createIfNotExists(); };
    for (const c of opts.containers ?? ['test-container']) await createContainer(c);
    let closing: Promise<void> | undefined;
    return {
      endpoint, directEndpoint, accountName: AZURITE_ACCOUNT, accountKey: AZURITE_KEY, dir,
      connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${endpoint};`,
      sasToken: (container, permissions = 'racwdl') => generateBlobSASQueryParameters({
        containerName: container, permissions: ContainerSASPermissions.parse(permissions),
        startsOn: new Date(Date.now() - 60_000), expiresOn: new Date(Date.now() + 24 * 3_600_000),
      }, cred).toString(),
      createContainer,
      requests: () => p.requests(),
      resetRequests: () => p.resetRequests(),
      injectFault: (f) => p.injectFault(f),
      clearFaults: () => p.clearFaults(),
      uncommittedBlobs: async (container) => {
        const out: string[] = [];
        for await (const b of admin.getContainerClient(container).listBlobsFlat({ includeUncommitedBlobs: true })) {
          const props = await admin.getContainerClient(container).getBlobClient(b.name).getProperties().catch(() => undefined);
          if (props === undefined) out.push(b.name);
        }
        return out;
      },
      startupMs: Math.round(performance.now() - t0),
      close: () => closing ??= (async () => {
        await p.close();
        child.kill('SIGKILL');
        await exited;
        await rm(dir, { recursive: true, force: true });
      })(),
    };
  } catch (e) {
    await proxy?.close();
    child.kill('SIGKILL');
    await exited;
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
