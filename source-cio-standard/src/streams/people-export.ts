// Every person through Customer.io's exports API, for workspaces too large to page through search +
// bulk attributes (N/1000 + N/100 requests; the search docs say "for a larger set … use the /exports
// API"): POST /exports/customers (match-all filter, the configured attribute columns) → poll
// GET /exports/{id} until `done` → GET /exports/{id}/download (a signed URL, valid 15 minutes) → the file,
// streamed through gunzip and a CSV parser, 1000 people per batch: a handful of requests whatever N is,
// and memory bounded by one batch. Each batch's `next` token ("export:<id>:<rows done>:<export time>")
// resumes the same export after a failure (fresh link, the rows already emitted skipped).
//
// The file holds `cio_id`, `id`, `email` and the requested attributes (the format is not documented:
// CSV with a header row, gzip'd when the bytes say so). The export has no per-attribute change times:
// rows carry the export's creation time as `updated_at` / attribute `timestamp` ("the value as of then").
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { TransientError, type Clock } from '@cio-dw/common';
import type { JsonObject } from '../client/cio-client.js';
import type { Downloader } from '../client/download.js';
import type { CioApi } from '../client/endpoints.js';
import { CsvRows } from '../transforms/csv-rows.js';
import { toInt } from '../transforms/values.js';
import type { SnapshotBatch } from './snapshot-batch.js';

export const EXPORT_BATCH = 1000;
export const TOKEN_PREFIX = 'export:';

export interface ExportOptions {
  attributes: readonly string[];
  downloader: Downloader;
  clock: Clock;
  /** Give up waiting for the export after this long (default 3 h). */
  maxWaitMs?: number;
  /** First poll delay (doubles up to 60 s; default 1 s). */
  pollMs?: number;
  signal?: AbortSignal;
}

interface Resume { id: string; rows: number; createdS: number }

export function parseExportToken(token: string | undefined): Resume | undefined {
  const m = token ? /^export:([^:]+):(\d+):(\d+)$/.exec(token) : null;
  return m ? { id: m[1]!, rows: Number(m[2]), createdS: Number(m[3]) } : undefined;
}

export async function* exportSnapshot(api: CioApi, o: ExportOptions, resumeToken?: string): AsyncGenerator<SnapshotBatch> {
  const resume = parseExportToken(resumeToken);
  const exp = resume ? undefined : await api.createPeopleExport(o.attributes);
  const id = resume?.id ?? String(exp!['id']);
  const createdS = resume?.createdS ?? toInt(exp!['created_at']) ?? Math.floor(o.clock.now() / 1000);
  await waitUntilDone(api, id, o);
  const body = await o.downloader.open(await api.exportDownloadUrl(id), o.signal);
  let done = 0;
  let skip = resume?.rows ?? 0;
  let batch: JsonObject[] = [];
  for await (const row of csvObjects(body)) {
    if (skip > 0) { skip--; done++; continue; }
    batch.push(customerOf(row, createdS));
    done++;
    if (batch.length === EXPORT_BATCH) { yield { customers: batch, next: `${TOKEN_PREFIX}${id}:${done}:${createdS}` }; batch = []; }
  }
  if (batch.length > 0) yield { customers: batch, next: undefined };
}

async function waitUntilDone(api: CioApi, id: string, o: ExportOptions): Promise<void> {
  const started = o.clock.now();
  let delay = o.pollMs ?? 1000;
  for (;;) {
    const e = await api.getExport(id);
    if (e['status'] === 'done') return;
    if (e['status'] === 'failed' || e['failed'] === true) throw new TransientError(`cio: Customer.io reported people export ${id} as failed; the next sync starts a new one.`);
    if (o.clock.now() - started > (o.maxWaitMs ?? 3 * 3600_000)) throw new TransientError(`cio: people export ${id} was not ready after ${Math.round((o.maxWaitMs ?? 3 * 3600_000) / 60_000)} minutes; the next sync goes on waiting for it.`);
    await o.clock.sleep(delay, o.signal);
    delay = Math.min(60_000, delay * 2);
  }
}

/** The file's rows as {column: value} (empty cells left out), gunzipped when it starts with the gzip magic bytes. */
export async function* csvObjects(body: Readable): AsyncGenerator<Record<string, string>> {
  const csv = new CsvRows();
  let header: string[] | undefined;
  const rowsOf = function* (rows: string[][]): Generator<Record<string, string>> {
    for (const r of rows) {
      if (!header) { header = r; continue; }
      const o: Record<string, string> = {};
      for (let i = 0; i < header.length; i++) if (r[i] !== undefined && r[i] !== '') o[header[i]!] = r[i]!;
      yield o;
    }
  };
  for await (const text of decoded(body)) yield* rowsOf(csv.push(text));
  yield* rowsOf(csv.end());
}

async function* decoded(body: Readable): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let source: AsyncIterable<Buffer> = body;
  const it = body[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = first.value as Buffer;
  const rest = (async function* () { yield head; for (;;) { const n = await it.next(); if (n.done) return; yield n.value as Buffer; } })();
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = createGunzip();
    void (async () => { try { for await (const c of rest) if (!gunzip.write(c)) await new Promise((r) => gunzip.once('drain', r)); gunzip.end(); } catch (e) { gunzip.destroy(e as Error); } })();
    source = gunzip;
  } else source = rest;
  for await (const chunk of source) yield decoder.decode(chunk as Buffer, { stream: true });
  const tail = decoder.decode();
  if (tail) yield tail;
}

/** An export row as the `/customers/attributes` item shape the people transforms read. */
export function customerOf(row: Record<string, string>, createdS: number): JsonObject {
  const { cio_id: cioId, id, email, ...attrs } = row;
  const attributes: Record<string, string> = { ...attrs };
  if (cioId !== undefined) attributes['cio_id'] = cioId;
  if (id !== undefined) attributes['id'] = id;
  if (email !== undefined) attributes['email'] = email;
  const timestamps: Record<string, number> = {};
  for (const k of Object.keys(attributes)) timestamps[k] = createdS;
  return { identifiers: { cio_id: cioId ?? null, id: id ?? null, email: email ?? null }, attributes, timestamps };
}
