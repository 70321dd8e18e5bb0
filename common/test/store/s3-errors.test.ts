// The pure S3 error mapping, with literal error objects shaped like @aws-sdk/client-s3 exceptions.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mapS3Error, redirectRegion, type S3ErrorContext } from '../../src/store/s3-errors.js';
import { ObjectExistsError, ObjectNotFoundError } from '../../src/store/object-store.js';
import { ConfigError, SystemError, TransientError } from '../../src/errors.js';

const ctx: S3ErrorContext = { action: 's3:PutObject', bucket: 'acme-data', region: 'us-east-1', key: 'k/1.parquet', rootPrefix: 'cio/' };
function sdkError(name: string, status: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(extra.message as string ?? name), {
    name, Code: name, $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, requestId: 'REQ1', attempts: 1 }, ...extra,
  });
}
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('mapS3Error', () => {
  it('412 on a write is ObjectExistsError', () => {
    const e = mapS3Error(sdkError('PreconditionFailed', 412), ctx);
    assert.ok(e instanceof ObjectExistsError);
    assert.equal(e.key, 'k/1.parquet');
    assert.match(e.message, /^bucket: object "k\/1.parquet" already exists in bucket "acme-data"/);
  });

  it('NoSuchBucket names bucket and region', () => {
    const e = mapS3Error(sdkError('NoSuchBucket', 404), ctx);
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /^bucket: bucket "acme-data" does not exist in region us-east-1\. /);
  });

  it('bad credentials are config errors and never show the secret', () => {
    const a = mapS3Error(sdkError('InvalidAccessKeyId', 403, { AWSAccessKeyId: 'AKIAXXX' }), ctx);
    assert.ok(a instanceof ConfigError);
    assert.match(a.message, /access key ID is not known/);
    const s = mapS3Error(sdkError('SignatureDoesNotMatch', 403, { StringToSign: 'AWS4-HMAC-SHA256…' }), ctx);
    assert.ok(s instanceof ConfigError);
    assert.match(s.message, /secret access key does not match/);
    const t = mapS3Error(sdkError('ExpiredToken', 400), ctx);
    assert.ok(t instanceof ConfigError);
    assert.match(t.message, /session token has expired/);
    const c = mapS3Error(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), ctx);
    assert.ok(c instanceof ConfigError);
    assert.match(c.message, /no AWS credentials found/);
    for (const e of [a, s, t, c]) {
      assert.ok(!e.message.includes(SECRET));
      assert.ok(!(e as ConfigError).internalMessage?.includes(SECRET));
    }
  });

  it('AccessDenied names the action and the resource', () => {
    const e = mapS3Error(sdkError('AccessDenied', 403), ctx);
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /access denied: the credentials lack s3:PutObject on arn:aws:s3:::acme-data\/cio\/\*/);
    const l = mapS3Error(sdkError('AccessDenied', 403), { ...ctx, action: 's3:ListBucket' });
    assert.match(l.message, /lack s3:ListBucket on arn:aws:s3:::acme-data\./);
    const h = mapS3Error(Object.assign(new Error('UnknownError'), { name: 'Unknown', $metadata: { httpStatusCode: 403 } }), { ...ctx, action: 's3:GetObject' });
    assert.ok(h instanceof ConfigError);
    assert.match(h.message, /HTTP 403.*s3:GetObject/);
  });

  it('wrong region: PermanentRedirect, AuthorizationHeaderMalformed, a bare 301 on HEAD', () => {
    const p = mapS3Error(sdkError('PermanentRedirect', 301, { Endpoint: 'acme-data.s3.eu-west-1.amazonaws.com' }), ctx);
    assert.ok(p instanceof ConfigError);
    assert.match(p.message, /the bucket is in region eu-west-1\. Set the region to eu-west-1/);
    const m = mapS3Error(sdkError('AuthorizationHeaderMalformed', 400, { Region: 'ap-south-1' }), ctx);
    assert.match(m.message, /the bucket is in region ap-south-1/);
    const h = mapS3Error(Object.assign(new Error('UnknownError'), {
      name: 'Unknown', $metadata: { httpStatusCode: 301 }, $response: { statusCode: 301, headers: { 'x-amz-bucket-region': 'eu-central-1' } },
    }), ctx);
    assert.ok(h instanceof ConfigError);
    assert.match(h.message, /the bucket is in region eu-central-1/);
    const u = mapS3Error(sdkError('PermanentRedirect', 301), ctx);
    assert.match(u.message, /is not in region us-east-1\. Set the bucket's region/);
  });

  it('5xx, throttling and network errors are transient', () => {
    for (const e of [sdkError('InternalError', 500), sdkError('SlowDown', 503), sdkError('ServiceUnavailable', 503),
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), Object.assign(new Error('x'), { name: 'TimeoutError' })]) {
      assert.ok(mapS3Error(e, ctx) instanceof TransientError, e.name);
    }
    const r = mapS3Error(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), { ...ctx, endpoint: 'http://minio:9000' });
    assert.match(r.message, /cannot reach http:\/\/minio:9000 \(ECONNREFUSED\)\. Check the endpoint URL/);
  });

  it('not found on a key, abort passthrough, unknown codes as system errors', () => {
    assert.ok(mapS3Error(sdkError('NoSuchKey', 404), { ...ctx, action: 's3:GetObject' }) instanceof ObjectNotFoundError);
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    assert.equal(mapS3Error(abort, ctx), abort);
    const u = mapS3Error(sdkError('EntityTooLarge', 400, { message: 'Your proposed upload exceeds the maximum allowed size' }), ctx);
    assert.ok(u instanceof SystemError);
    assert.match(u.message, /^bucket: s3:PutObject on bucket "acme-data" \(key "k\/1.parquet"\) failed with EntityTooLarge \(HTTP 400\): Your proposed/);
    assert.match((u as SystemError).internalMessage ?? '', /request REQ1/);
    assert.match(mapS3Error(sdkError('NoSuchBucket', 404), { ...ctx, domain: 'spool' }).message, /^spool: /);
  });

  it('redirectRegion reads header, Region field, endpoint or message', () => {
    assert.equal(redirectRegion({ $response: { headers: { 'x-amz-bucket-region': 'us-west-2' } } }), 'us-west-2');
    assert.equal(redirectRegion({ Region: 'eu-north-1' }), 'eu-north-1');
    assert.equal(redirectRegion({ Endpoint: 'b.s3-eu-west-3.amazonaws.com' }), 'eu-west-3');
    assert.equal(redirectRegion({ message: "the region 'us-east-1' is wrong; expecting 'sa-east-1'" }), 'sa-east-1');
    assert.equal(redirectRegion({}), undefined);
  });
});
