// The Pipelines endpoints the libraries call: full names (`/v1/track`, server libraries, curl) and
// the browser library's short ones (`/v1/t`, posted as text/plain with `writeKey` in the body), plus
// the CORS headers a browser needs (preflight and answers).
import type { IncomingMessage } from 'node:http';
import type { CallType } from '../calls/call.js';
import { isCallType } from '../calls/call.js';

export type Endpoint = CallType | 'batch';

const SHORT: Record<string, Endpoint> = { t: 'track', i: 'identify', p: 'page', s: 'screen', g: 'group', a: 'alias', b: 'batch' };

/** The endpoint of `/v1/<name>`, or undefined. */
export function endpointOf(name: string): Endpoint | undefined {
  if (name === 'batch' || isCallType(name)) return name;
  return SHORT[name];
}

/** CORS headers for an answer to a browser (any origin: the write key, not the origin, authorises). */
export function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (origin === undefined) return {};
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}

/** The answer headers of a CORS preflight (OPTIONS). */
export function preflightHeaders(req: IncomingMessage): Record<string, string> {
  return {
    ...corsHeaders(req),
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? 'content-type, authorization, content-encoding, x-strict-mode'),
    'access-control-max-age': '86400',
  };
}
