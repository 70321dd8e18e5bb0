// Customer exports (POST /v1/exports/customers → GET /v1/exports/{id} → GET /v1/exports/{id}/download →
// a signed URL to a gzip'd CSV file), as Customer.io's OpenAPI describes them (journeys-app.json,
// export.aon: exportPeopleData, getExport, downloadExport; customerio.md §4.3):
// - the export object: id, type, status (`pending` until ready, then `done`), failed, total, downloads,
//   description, user_id, user_email, created_at, updated_at, deduplicate_id;
// - download answers `{"url": ...}`, "a signed link that expires after 15 minutes".
// The file format is not documented (customerio.md "NOT FOUND: file format of export downloads"): the
// simulator writes CSV, a header `cio_id,id,email` plus the requested `attributes`, one row per person.
// The file is served by the simulator's own listener under /sim-files/ (no Bearer key: the signature in
// the URL is the credential, as with a signed S3 URL), streamed through gzip row by row.
import { createHmac } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';
import type { Person } from '../generator/people.js';
import type { Workspace } from '../workspace.js';

export const LINK_TTL_MS = 15 * 60_000;

export interface ExportRecord {
  id: number; createdS: number; attributes: string[]; polls: number; downloads: number;
  match: (p: Person) => boolean; personCount: number; total: number;
}

export class Exports {
  private readonly list: ExportRecord[] = [];
  private readonly key: string;
  constructor(private readonly ws: Workspace, private readonly pendingPolls: number) {
    this.key = `sim-export-${ws.seed}`;
  }

  create(match: (p: Person) => boolean, attributes: string[]): ExportRecord {
    let total = 0;
    for (let i = 0; i < this.ws.personCount; i++) { const p = this.ws.person(i); if (!p.deleted && match(p)) total++; }
    const rec: ExportRecord = { id: this.list.length + 1, createdS: this.ws.now, attributes, polls: 0, downloads: 0, match, personCount: this.ws.personCount, total };
    this.list.push(rec);
    return rec;
  }

  get(id: number): ExportRecord | undefined { return this.list.find((e) => e.id === id); }
  all(): ExportRecord[] { return [...this.list]; }

  /** Each GET of a new export counts as a poll; it is `done` after `pendingPolls` polls. */
  statusOf(rec: ExportRecord): 'pending' | 'done' { return rec.polls > this.pendingPolls ? 'done' : 'pending'; }

  view(rec: ExportRecord): Record<string, unknown> {
    const status = this.statusOf(rec);
    return {
      id: rec.id, type: 'customers', status, failed: false, total: status === 'done' ? rec.total : 0, downloads: rec.downloads,
      description: 'People export (cio-simulator)', user_id: 1, user_email: 'api@example.com',
      created_at: rec.createdS, updated_at: rec.createdS, deduplicate_id: `${rec.id}:${rec.createdS}`,
    };
  }

  signedUrl(rec: ExportRecord, origin: string, nowMs = Date.now()): string {
    rec.downloads++;
    const expires = nowMs + LINK_TTL_MS;
    return `${origin}/sim-files/exports/${rec.id}.csv.gz?expires=${expires}&signature=${this.sign(rec.id, expires)}`;
  }

  private sign(id: number, expires: number): string {
    return createHmac('sha256', this.key).update(`${id}:${expires}`).digest('hex');
  }

  /** Serves /sim-files/exports/<id>.csv.gz?expires&signature; returns the status sent. */
  serve(path: string, query: URLSearchParams, res: ServerResponse, nowMs = Date.now()): number {
    const m = /^\/sim-files\/exports\/(\d+)\.csv\.gz$/.exec(path);
    const rec = m ? this.get(Number(m[1])) : undefined;
    const expires = Number(query.get('expires'));
    const deny = (status: number, why: string): number => { res.writeHead(status, { 'content-type': 'application/xml' }); res.end(`<Error><Message>${why}</Message></Error>`); return status; };
    if (!rec) return deny(404, 'NoSuchKey');
    if (query.get('signature') !== this.sign(rec.id, expires)) return deny(403, 'SignatureDoesNotMatch');
    if (!(expires > nowMs)) return deny(403, 'Request has expired');
    res.writeHead(200, { 'content-type': 'application/gzip' });
    const gz = createGzip();
    gz.pipe(res);
    let i = 0;
    const header = ['cio_id', 'id', 'email', ...rec.attributes];
    let ok = gz.write(`${header.map(csvCell).join(',')}\n`);
    const write = (): void => {
      ok = true;
      while (ok && i < rec.personCount) {
        const p = this.ws.person(i++);
        if (p.deleted || !rec.match(p)) continue;
        ok = gz.write(`${[p.cio_id, p.id, p.email, ...rec.attributes.map((a) => p.attributes[a])].map(csvCell).join(',')}\n`);
      }
      if (i >= rec.personCount) gz.end(); else gz.once('drain', write);
    };
    if (ok) write(); else gz.once('drain', write);
    return 200;
  }
}

/** RFC 4180 cell: quoted when it holds a comma, quote or line break; null/undefined → empty. */
export function csvCell(v: string | null | undefined): string {
  if (v === null || v === undefined) return '';
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
