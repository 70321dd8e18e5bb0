// X-CIO-Signature check for Customer.io reporting webhooks (reference §3.4): the header is the hex
// HMAC-SHA256 of `v0:<X-CIO-Timestamp>:<raw body>` with the webhook's signing key. Pure apart from
// the HMAC; the comparison is constant-time. Secrets never appear in the messages.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureFailure =
  | 'missing_key' | 'missing_timestamp' | 'missing_signature'
  | 'malformed_timestamp' | 'malformed_signature' | 'bad_signature' | 'stale_timestamp';

export type SignatureCheck =
  | { ok: true; timestampS: number }
  | { ok: false; reason: SignatureFailure; message: string };

type Header = string | readonly string[] | null | undefined;

function headerValue(h: Header): string | undefined {
  const v = typeof h === 'string' ? h : h?.[0];
  const t = v?.trim();
  return t ? t : undefined;
}

/** The X-CIO-Signature value for a body and timestamp (hex). */
export function reportingSignature(rawBody: Uint8Array | string, timestamp: string | number, signingKey: string): string {
  return createHmac('sha256', signingKey).update(`v0:${timestamp}:`).update(rawBody).digest('hex');
}

/**
 * Checks, in order: key configured, both headers present, timestamp is integer seconds, signature is
 * 64 hex chars, HMAC matches (constant time), then |nowS − timestamp| ≤ replayWindowS (else stale:
 * a replay, or a clock far off). Signature before staleness, so a forged request never reads as "stale".
 */
export function verifyReportingSignature(
  rawBody: Uint8Array | string, timestampHeader: Header, signatureHeader: Header,
  signingKey: string, nowS: number, replayWindowS: number,
): SignatureCheck {
  const fail = (reason: SignatureFailure, message: string): SignatureCheck => ({ ok: false, reason, message: `cio webhook: ${message}` });
  if (!signingKey) return fail('missing_key', 'no signing key configured; set the reporting webhook signing key from Customer.io');
  const ts = headerValue(timestampHeader);
  if (ts === undefined) return fail('missing_timestamp', 'missing X-CIO-Timestamp header');
  const sig = headerValue(signatureHeader);
  if (sig === undefined) return fail('missing_signature', 'missing X-CIO-Signature header');
  if (!/^\d{1,12}$/.test(ts)) return fail('malformed_timestamp', 'X-CIO-Timestamp is not integer seconds');
  if (!/^[0-9a-fA-F]{64}$/.test(sig)) return fail('malformed_signature', 'X-CIO-Signature is not a hex SHA-256 HMAC');
  const expected = createHmac('sha256', signingKey).update(`v0:${ts}:`).update(rawBody).digest();
  if (!timingSafeEqual(expected, Buffer.from(sig, 'hex'))) {
    return fail('bad_signature', 'X-CIO-Signature does not match; check that the signing key matches the one Customer.io shows for this webhook');
  }
  const timestampS = Number(ts);
  if (Math.abs(nowS - timestampS) > replayWindowS) {
    return fail('stale_timestamp', `X-CIO-Timestamp is ${nowS - timestampS} s from now (window ${replayWindowS} s); a replay, or this machine's clock is off`);
  }
  return { ok: true, timestampS };
}
