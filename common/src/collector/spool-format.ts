// Spool object format (pure): gzip of a header line, then one JSON call per line.
// Header: {"spool":1,"count":N,"sha256":"<hex of the bytes after the header line>"}.
// gzip's CRC-32 and the header's sha256 + count make a torn or damaged object fail as a whole.
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

export class DamagedObjectError extends Error {}

export function encodeSpoolObject(lines: readonly string[]): Buffer {
  const body = Buffer.from(lines.length ? `${lines.join('\n')}\n` : '', 'utf8');
  const header = JSON.stringify({ spool: 1, count: lines.length, sha256: createHash('sha256').update(body).digest('hex') });
  return gzipSync(Buffer.concat([Buffer.from(`${header}\n`, 'utf8'), body]), { level: 1 });
}

/** The object's lines, or DamagedObjectError if anything does not check out. */
export function decodeSpoolObject(bytes: Uint8Array): string[] {
  let raw: Buffer;
  try {
    raw = gunzipSync(bytes);
  } catch (e) {
    throw new DamagedObjectError(`not a complete gzip stream (${(e as Error).message})`);
  }
  const nl = raw.indexOf(10);
  if (nl < 0) throw new DamagedObjectError('no header line');
  let header: { spool?: unknown; count?: unknown; sha256?: unknown };
  try { header = JSON.parse(raw.subarray(0, nl).toString('utf8')); } catch { throw new DamagedObjectError('header is not JSON'); }
  if (header.spool !== 1 || typeof header.count !== 'number' || typeof header.sha256 !== 'string') throw new DamagedObjectError('unknown header');
  const body = raw.subarray(nl + 1);
  if (createHash('sha256').update(body).digest('hex') !== header.sha256) throw new DamagedObjectError('sha256 mismatch');
  const lines = body.length ? body.toString('utf8').split('\n') : [''];
  lines.pop(); // the body ends with a newline
  if (lines.length !== header.count) throw new DamagedObjectError(`expected ${header.count} lines, found ${lines.length}`);
  return lines;
}
