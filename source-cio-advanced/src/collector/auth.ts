// Write-key auth (HTTP Basic, or the browser library's `writeKey` in the body; constant time over
// every key), the key's public name, and the webhook X-Signature check.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const digest = (s: string | Buffer) => createHash('sha256').update(s).digest();

/** The public name of a write key in records and logs: `wk_` + 12 hex digits of its SHA-256 (never the key). */
export function writeKeyName(key: string): string {
  return `wk_${digest(key).toString('hex').slice(0, 12)}`;
}

export class WriteKeys {
  private readonly hashes: Buffer[];
  private readonly names: string[];
  constructor(keys: readonly string[]) {
    this.hashes = keys.map((k) => digest(k));
    this.names = keys.map((k) => writeKeyName(k));
  }

  /** The key's public name if the Authorization header carries one of the keys as Basic user name (password ignored). */
  fromHeader(authorization: string | undefined): string | undefined {
    const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization ?? '');
    if (!m) return undefined;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return this.match(colon >= 0 ? decoded.slice(0, colon) : decoded);
  }

  /** The key's public name if `candidate` is one of the keys. */
  match(candidate: unknown): string | undefined {
    if (typeof candidate !== 'string' || candidate.length === 0) return undefined;
    const h = digest(candidate);
    let found = -1;
    for (let i = 0; i < this.hashes.length; i++) if (timingSafeEqual(this.hashes[i]!, h)) found = i; // no early exit
    return found >= 0 ? this.names[found] : undefined;
  }

  /** True if the Authorization header carries one of the keys. */
  accepts(authorization: string | undefined): boolean { return this.fromHeader(authorization) !== undefined; }
}

/** Hex HMAC-SHA1 of the body, as Customer.io's Webhook destination sends in X-Signature. */
export function webhookSignature(body: Buffer | string, secret: string): string {
  return createHmac('sha1', secret).update(body).digest('hex');
}

export function verifySignature(body: Buffer, secret: string, header: string | undefined): boolean {
  if (!header || !/^(sha1=)?[0-9a-fA-F]{40}$/.test(header.trim())) return false;
  const given = Buffer.from(header.trim().replace(/^sha1=/, '').toLowerCase(), 'hex');
  return timingSafeEqual(given, Buffer.from(webhookSignature(body, secret), 'hex'));
}
