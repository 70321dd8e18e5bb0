// Opaque, case-sensitive `next` tokens (base64 of "tag:position[:e]") and limit parsing.
import { badRequest } from './errors.js';

export interface Cursor { pos: number; empty: boolean }

export function encodeToken(tag: string, pos: number, empty = false): string {
  return Buffer.from(`${tag}:${pos}${empty ? ':e' : ''}`, 'utf8').toString('base64');
}

/** Decode a `start` token made by encodeToken with this tag; undefined when absent; 400 when invalid. */
export function decodeToken(tag: string, start: string | null): Cursor | undefined {
  if (start === null || start === '') return undefined;
  const invalid = badRequest(`invalid start token ${JSON.stringify(start)}: pass back the exact "next" value from the previous page`);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(start)) throw invalid;
  const buf = Buffer.from(start, 'base64');
  if (buf.toString('base64') !== start) throw invalid;
  const m = /^([a-z]+):(\d+)(:e)?$/.exec(buf.toString('utf8'));
  if (!m || m[1] !== tag) throw invalid;
  return { pos: Number(m[2]), empty: m[3] !== undefined };
}

/** Numeric tokens, as the activities endpoint uses. */
export function decodeNumericToken(start: string | null): number | undefined {
  if (start === null || start === '') return undefined;
  if (!/^\d+$/.test(start)) throw badRequest(`invalid start token ${JSON.stringify(start)}: pass back the exact "next" value from the previous page`);
  return Number(start);
}

export function parseLimit(q: URLSearchParams, def: number, max: number): number {
  const raw = q.get('limit');
  if (raw === null || raw === '') return def;
  if (!/^\d+$/.test(raw)) throw badRequest(`limit must be an integer between 1 and ${max}`);
  const n = Number(raw);
  if (n < 1 || n > max) throw badRequest(`limit must be an integer between 1 and ${max}`);
  return n;
}

export function parseIntParam(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw badRequest(`${name} must be a non-negative integer`);
  return Number(raw);
}
