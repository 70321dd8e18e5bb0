// The pure Azure Blob and GCS error mappings, with literal error objects shaped like the SDKs' errors,
// the block re-chunker, and the config checks the store factories make before loading an SDK.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mapAzureError, redactAzure, type AzureErrorContext } from '../../src/store/azure-errors.js';
import { mapGcsError, type GcsErrorContext } from '../../src/store/gcs-errors.js';
import { fixedChunks } from '../../src/store/fixed-chunks.js';
import { azureBlobStoreFromConfig, gcsStoreFromConfig } from '../../src/store/store-config.js';
import { gcsClientOptions } from '../../src/store/gcs-store.js';
import { ObjectExistsError, ObjectNotFoundError } from '../../src/store/object-store.js';
import { ConfigError, SystemError, TransientError } from '../../src/errors.js';

const az: AzureErrorContext = { action: 'write', account: 'acme', container: 'dw', key: 'k/1.parquet', rootPrefix: 'cio/' };
const restError = (code: string, statusCode: number, message = code) =>
  Object.assign(new Error(message), { name: 'RestError', code, statusCode, details: { errorCode: code } });

describe('mapAzureError', () => {
  it('409 BlobAlreadyExists and 412 ConditionNotMet on a write are ObjectExistsError', () => {
    for (const [code, status] of [['BlobAlreadyExists', 409], ['ConditionNotMet', 412]] as const) {
      const e = mapAzureError(restError(code, status), az);
      assert.ok(e instanceof ObjectExistsError, code);
      assert.match(e.message, /^bucket: object "k\/1.parquet" already exists in container "dw" of storage account "acme"/);
    }
  });
  it('a missing container is a ConfigError even on a write (409/404 are not collisions then)', () => {
    const e = mapAzureError(restError('ContainerNotFound', 404), az);
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /container "dw" of storage account "acme" does not exist/);
  });
  it('permission errors name the RBAC role; BlobNotFound on read is ObjectNotFoundError', () => {
    const e = mapAzureError(restError('AuthorizationPermissionMismatch', 403), az);
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /Storage Blob Data Contributor/);
    assert.ok(mapAzureError(restError('BlobNotFound', 404), { ...az, action: 'read' }) instanceof ObjectNotFoundError);
  });
  it('5xx, 429 and network errors are transient; others are system errors', () => {
    assert.ok(mapAzureError(restError('ServerBusy', 503), az) instanceof TransientError);
    assert.ok(mapAzureError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), az) instanceof TransientError);
    assert.ok(mapAzureError(restError('InvalidHeaderValue', 400), az) instanceof SystemError);
  });
  it('SAS signatures and account keys never reach a message', () => {
    const sig = 'sig=AbC%2Bdef123secret';
    const e = mapAzureError(restError('Weird', 400, `failed https://acme.blob.core.windows.net/dw/x?sv=2024&${sig}&se=1 AccountKey=Zm9vYmFy;`), az);
    assert.ok(!e.message.includes('AbC%2Bdef123secret') && !e.message.includes('Zm9vYmFy'), e.message);
    assert.ok(!String((e as SystemError).internalMessage).includes('AbC%2Bdef123secret'));
    assert.equal(redactAzure('a?sig=XYZ&b=1'), 'a?sig=REDACTED&b=1');
  });
});

const gc: GcsErrorContext = { action: 'write', bucket: 'acme-dw', key: 'k/1.parquet', rootPrefix: 'cio/' };
const apiError = (code: number, message: string, reason?: string) =>
  Object.assign(new Error(message), { name: 'ApiError', code, errors: reason ? [{ reason, message }] : [] });

describe('mapGcsError', () => {
  it('412 on a write is ObjectExistsError', () => {
    const e = mapGcsError(apiError(412, 'At least one of the pre-conditions you specified did not hold.', 'conditionNotMet'), gc);
    assert.ok(e instanceof ObjectExistsError);
    assert.match(e.message, /already exists in bucket "gs:\/\/acme-dw"/);
  });
  it('a missing bucket is a ConfigError; a missing object is ObjectNotFoundError', () => {
    assert.ok(mapGcsError(apiError(404, 'The specified bucket does not exist.', 'notFound'), gc) instanceof ConfigError);
    assert.ok(mapGcsError(apiError(404, 'No such object: acme-dw/cio/k/1.parquet', 'notFound'), { ...gc, action: 'read' }) instanceof ObjectNotFoundError);
  });
  it('403 names the IAM role; 401 and missing default credentials say how to authenticate', () => {
    const e = mapGcsError(apiError(403, 'sa@p.iam.gserviceaccount.com does not have storage.objects.create access', 'forbidden'), gc);
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /Storage Object User/);
    const c = mapGcsError(new Error('Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication'), gc);
    assert.ok(c instanceof ConfigError);
    assert.match(c.message, /service-account JSON key|Application Default Credentials/);
  });
  it('5xx, 429 and network errors are transient', () => {
    assert.ok(mapGcsError(apiError(503, 'Backend Error', 'backendError'), gc) instanceof TransientError);
    assert.ok(mapGcsError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), gc) instanceof TransientError);
  });
});

describe('fixedChunks', () => {
  const collect = async (parts: number[][], size: number) => {
    const out: number[][] = [];
    async function* src() { for (const p of parts) yield Uint8Array.from(p); }
    for await (const b of fixedChunks(src(), size)) out.push([...b]);
    return out;
  };
  it('cuts any input into blocks of the size, the remainder last, never an empty block', async () => {
    assert.deepEqual(await collect([[1, 2, 3], [4], [5, 6, 7, 8, 9]], 4), [[1, 2, 3, 4], [5, 6, 7, 8], [9]]);
    assert.deepEqual(await collect([[1, 2, 3, 4]], 2), [[1, 2], [3, 4]]);
    assert.deepEqual(await collect([[], []], 3), []);
    await assert.rejects(collect([[1]], 0), RangeError);
  });
});

describe('store factories check the config before loading an SDK', () => {
  it('Azure: exactly one of connection string, account key or SAS; a bare container name', () => {
    assert.throws(() => azureBlobStoreFromConfig({ container: 'dw' }, 'bucket'), /exactly one of .* \(none is set\)/);
    assert.throws(() => azureBlobStoreFromConfig({ container: 'dw', account_key: 'a2V5', sas_token: 'sig=x' }, 'spool'), /spool: set exactly one.*\(2 are set\)/);
    assert.throws(() => azureBlobStoreFromConfig({ container: 'https://x/dw', account_key: 'a2V5' }, 'bucket'), ConfigError);
    const s = azureBlobStoreFromConfig({ container: 'dw', prefix: 'cio', connection_string: 'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=c2VjcmV0;' }, 'bucket');
    assert.equal(s.kind, 'azure');
    assert.equal(s.describe(), 'azure blob container "dw" of account "acme", prefix "cio/"');
    assert.ok(!s.describe().includes('c2VjcmV0'));
  });
  it('GCS: a bare bucket name; the service-account key must be a whole JSON key file', () => {
    assert.throws(() => gcsStoreFromConfig({ bucket: 'gs://acme' }, 'bucket'), ConfigError);
    assert.equal(gcsStoreFromConfig({ bucket: 'acme', prefix: 'a/b/' }, 'bucket').describe(), 'gs://acme/a/b/');
    assert.throws(() => gcsClientOptions({ serviceAccountJson: '{not json' }), /not valid JSON/);
    assert.throws(() => gcsClientOptions({ serviceAccountJson: '{"type":"authorized_user"}' }), /lacks type "service_account"/);
    const o = gcsClientOptions({ serviceAccountJson: JSON.stringify({ type: 'service_account', client_email: 'a@b', private_key: 'KEY', project_id: 'p1' }) });
    assert.deepEqual([o.projectId, o.credentials], ['p1', { client_email: 'a@b', private_key: 'KEY' }]);
    assert.equal(gcsClientOptions({}).credentials, undefined);
  });
});
