// HTTP Basic write-key auth (constant time over every key) and the webhook X-Signature check.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const digest = (s: string | Buffer) => createHash('sha256').update(s).digest();

export class WriteKeys {
  private readonly hashes: Buffer[];
  constructor(keys: readonly string[]) { this.hashes = keys.map((k) => digest(k)); }

  /** True if the Authorization header carries one of the keys as Basic user name (password ignored). */
  accepts(authorization: string | undefined): boolean {
    const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization ?? '');
    if (!m) return false;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const candidate = digest(colon >= 0 ? decoded.slice(0, colon) : decoded);
    let ok = false;
    for (const h of this.hashes) ok = timingSafeEqual(h, candidate) || ok; // no early exit
    return ok;
  }
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
