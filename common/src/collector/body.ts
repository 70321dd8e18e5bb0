// Reads a request body with a size limit (applied after gzip/deflate decoding).
import type { IncomingMessage } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';
import { HttpError } from './http-error.js';

export async function readBody(req: IncomingMessage, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > limit * 4 + 65536) { req.destroy(); over = true; break; } // stop reading an absurd body
    if (size > limit) over = true;
    else chunks.push(c);
  }
  const tooBig = () => new HttpError(413, `${what}: body is larger than the limit of ${limit} bytes (${Math.round(limit / 1024)} KB)`);
  if (over) throw tooBig();
  const raw = Buffer.concat(chunks, size);
  const enc = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (enc === 'identity' || enc === '') return raw;
  if (enc !== 'gzip' && enc !== 'deflate') throw new HttpError(400, `content-encoding: "${enc}" is not supported; use gzip or none`);
  try {
    const out = (enc === 'gzip' ? gunzipSync : inflateSync)(raw, { maxOutputLength: limit + 1 });
    if (out.length > limit) throw tooBig();
    return out;
  } catch (e) {
    if (e instanceof HttpError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooBig();
    throw new HttpError(400, `content-encoding: the body is not valid ${enc} data`);
  }
}

/** Parses JSON, or a 400 naming the body. */
export function parseJson(body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new HttpError(400, `${what}: invalid JSON (${(e as Error).message})`);
  }
}
