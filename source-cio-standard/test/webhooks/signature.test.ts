// verifyReportingSignature: valid, invalid, stale, missing and malformed, with literal inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyReportingSignature, reportingSignature } from '../../src/webhooks/signature.js';

const BODY = '{"event_id":"01E2EMRMM6TZ12TF9WGZN0WJQT","metric":"sent"}';
const KEY = 'whsec_abc';
const TS = '1793491200';
// Computed independently (Python hmac): HMAC-SHA256(key, "v0:1793491200:" + BODY).
const SIG = '0cb4e3a2849780ae4997efd20b5a482bf90fbbe97f7dd42e198285ef0105c300';
const NOW = 1793491200;

test('a valid signature verifies (string or Buffer body, upper-case hex, array header)', () => {
  assert.equal(reportingSignature(BODY, TS, KEY), SIG);
  assert.deepEqual(verifyReportingSignature(BODY, TS, SIG, KEY, NOW, 300), { ok: true, timestampS: 1793491200 });
  assert.deepEqual(verifyReportingSignature(Buffer.from(BODY), TS, SIG.toUpperCase(), KEY, NOW + 300, 300), { ok: true, timestampS: 1793491200 });
  assert.equal(verifyReportingSignature(BODY, [TS], [SIG], KEY, NOW, 300).ok, true);
});

test('a wrong key, a changed body or a changed timestamp is a bad signature', () => {
  const reasons = [
    verifyReportingSignature(BODY, TS, SIG, 'whsec_other', NOW, 300),
    verifyReportingSignature(`${BODY} `, TS, SIG, KEY, NOW, 300),
    verifyReportingSignature(BODY, '1793491201', SIG, KEY, NOW, 300),
    verifyReportingSignature(BODY, TS, `${SIG.slice(0, 63)}1`, KEY, NOW, 300),
  ].map((r) => (r.ok ? 'ok' : r.reason));
  assert.deepEqual(reasons, ['bad_signature', 'bad_signature', 'bad_signature', 'bad_signature']);
  const r = verifyReportingSignature(BODY, TS, SIG, 'whsec_other', NOW, 300);
  assert.ok(!r.ok && r.message.startsWith('cio webhook: ') && !r.message.includes('whsec'));
});

test('stale: older or newer than the replay window, checked only after the signature', () => {
  const old = verifyReportingSignature(BODY, TS, SIG, KEY, NOW + 301, 300);
  assert.ok(!old.ok && old.reason === 'stale_timestamp' && old.message.includes('301 s'));
  const future = verifyReportingSignature(BODY, TS, SIG, KEY, NOW - 301, 300);
  assert.ok(!future.ok && future.reason === 'stale_timestamp');
  const forged = verifyReportingSignature(BODY, TS, SIG, 'nope', NOW + 9999, 300);
  assert.ok(!forged.ok && forged.reason === 'bad_signature');
});

test('missing and malformed headers, missing key', () => {
  const reason = (ts: string | undefined, sig: string | undefined, key = KEY): string => {
    const r = verifyReportingSignature(BODY, ts, sig, key, NOW, 300);
    return r.ok ? 'ok' : r.reason;
  };
  assert.equal(reason(undefined, SIG), 'missing_timestamp');
  assert.equal(reason('  ', SIG), 'missing_timestamp');
  assert.equal(reason(TS, undefined), 'missing_signature');
  assert.equal(reason(TS, ''), 'missing_signature');
  assert.equal(reason('17934912OO', SIG), 'malformed_timestamp');
  assert.equal(reason('1793491200.5', SIG), 'malformed_timestamp');
  assert.equal(reason(TS, 'sha256=abc'), 'malformed_signature');
  assert.equal(reason(TS, SIG.slice(2)), 'malformed_signature');
  assert.equal(reason(TS, SIG, ''), 'missing_key');
  assert.equal(verifyReportingSignature(BODY, null, null, KEY, NOW, 300).ok, false);
});
