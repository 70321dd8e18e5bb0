// The table of store kinds the destination's guarantees are tested on (store-guarantees.test.ts).
// Every kind is a real store: a local folder, s3rver (S3 API) and Azurite (Azure Blob API), each
// started by the test on 127.0.0.1. A new store_type in resources/spec.json must get a row here, or
// an entry in UNTESTED_KINDS with the exact reason: store-guarantees.test.ts fails otherwise.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { azureBlobStoreFromConfig, LocalFolderStore, S3Store, type ObjectStore } from '@cio-dw/common';
import { startAzuriteServer, startS3TestServer, type AzuriteServer, type S3TestServer } from '@cio-dw/testkit';
import type { StoreConfig } from '../src/config.js';
import { listFiles, tempDir } from './helpers.js';

export interface StoreKind {
  /** The store_type it stands for. */
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Destination `store` config writing under `prefix`. */
  config(prefix: string): StoreConfig;
  /** A separate client on the same place, for checking what was written. */
  reader(prefix: string): ObjectStore;
  /** Makes every upload of a large file under `prefix` fail from now on (until clearFaults). */
  failLargeUploads(prefix: string): Promise<void>;
  /** What the TRACE of that failure must say. */
  failureCause: RegExp;
  clearFaults(): Promise<void>;
  resetCounts(): Promise<void>;
  /** Chunk uploads (S3 parts, Azure blocks) since resetCounts; null for a store that writes one file. */
  chunkUploads(): Promise<number | null>;
  /** Asserts that a failed upload left nothing behind that shows or lingers beyond what the store promises. */
  assertNoLeftovers(prefix: string): Promise<void>;
}

/** Store kinds of the spec that have no real server here, with the reason (see the report of issue #14). */
export const UNTESTED_KINDS: Record<string, string> = {
  gcs: 'no GCS-compatible server runs offline here: the Cloud Storage emulator of firebase-tools needs a JDK >= 21 and ' +
    'ignores ifGenerationMatch (a create-only write would overwrite), and the npm registry has no other one',
};

function localKind(): StoreKind {
  let root = '';
  return {
    name: 'local',
    start: async () => { root = await tempDir('dbk-kind-local-'); },
    stop: async () => {},
    config: (prefix) => ({ store_type: 'local', path: join(root, prefix) }),
    reader: (prefix) => new LocalFolderStore(join(root, prefix)),
    // A file where the stream's folder must go: every write under it fails (ENOTDIR).
    failLargeUploads: async (prefix) => {
      await mkdir(join(root, prefix), { recursive: true });
      await writeFile(join(root, prefix, 'customers'), 'in the way');
    },
    failureCause: /a file or folder is in the way \(ENOTDIR\)/,
    clearFaults: async () => {},
    resetCounts: async () => {},
    chunkUploads: async () => null,
    assertNoLeftovers: async (prefix) => {
      const files = await listFiles(join(root, prefix));
      assert.deepEqual(files.filter((f) => f.split('/').some((s) => s.startsWith('.tmp-'))), [], 'no temp files left');
    },
  };
}

function s3Kind(): StoreKind {
  let srv: S3TestServer;
  return {
    name: 's3',
    start: async () => { srv = await startS3TestServer({ buckets: ['dw'] }); },
    stop: async () => { await srv?.close(); },
    config: (prefix) => ({
      store_type: 's3', bucket: 'dw', prefix, region: srv.region, endpoint: srv.endpoint, path_style: true,
      access_key_id: srv.accessKeyId, secret_access_key: srv.secretAccessKey,
    }),
    reader: (prefix) => new S3Store({ bucket: 'dw', prefix, ...srv.s3Options }),
    failLargeUploads: async () => { await srv.injectFault({ operation: 'UploadPart', status: 500, code: 'InternalError', times: 1000 }); },
    failureCause: /S3 answered InternalError \(HTTP 500\)/,
    clearFaults: () => srv.clearFaults(),
    resetCounts: () => srv.resetRequests(),
    chunkUploads: async () => (await srv.requests()).UploadPart ?? 0,
    assertNoLeftovers: async () => { assert.deepEqual(await srv.pendingUploads('dw'), [], 'no pending multipart upload'); },
  };
}

function azureKind(): StoreKind {
  let srv: AzuriteServer;
  return {
    name: 'azure',
    start: async () => { srv = await startAzuriteServer({ containers: ['dw-container'] }); },
    stop: async () => { await srv?.close(); },
    config: (prefix) => ({ store_type: 'azure', container: 'dw-container', prefix, connection_string: srv.connectionString }),
    reader: (prefix) => azureBlobStoreFromConfig({ container: 'dw-container', prefix, connection_string: srv.connectionString }, 'bucket'),
    failLargeUploads: async () => {
      srv.injectFault({
        operation: 'StageBlock', status: 500, times: 1000, headers: { 'x-ms-error-code': 'InternalError', 'content-type': 'application/xml' },
        body: '<?xml version="1.0" encoding="utf-8"?><Error><Code>InternalError</Code><Message>injected by the test</Message></Error>',
      });
    },
    failureCause: /Azure answered InternalError \(HTTP 500\)/,
    clearFaults: async () => srv.clearFaults(),
    resetCounts: async () => srv.resetRequests(),
    chunkUploads: async () => srv.requests().StageBlock ?? 0,
    // Azure keeps uncommitted blocks until they expire (7 days); they must never show as a blob.
    assertNoLeftovers: async (prefix) => {
      const r = azureBlobStoreFromConfig({ container: 'dw-container', prefix, connection_string: srv.connectionString }, 'bucket');
      for (const name of await srv.uncommittedBlobs('dw-container')) {
        if (!name.startsWith(`${prefix}/`)) continue;
        assert.equal(await r.head(name.slice(prefix.length + 1)), undefined, `uncommitted blob ${name} is not readable`);
      }
    },
  };
}

/** The shared table: one row per store kind with a real server here. */
export const STORE_KINDS: Array<() => StoreKind> = [localKind, s3Kind, azureKind];
