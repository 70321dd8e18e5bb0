// Azure Blob specifics of the destination against Azurite (started here on 127.0.0.1): check with each
// way to authenticate, specific check failures, and no secret in any output. The guarantees every
// store shares are in store-guarantees.test.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAzuriteServer, type AzuriteServer } from '@cio-dw/testkit';
import { azureBlobStoreFromConfig } from '@cio-dw/common';
import { configured, record, runCli, runWrite, state } from './helpers.js';

let az: AzuriteServer;
before(async () => { az = await startAzuriteServer({ containers: ['dw-check'] }); });
after(async () => { await az?.close(); });

const format = { format_type: 'jsonl', compression: 'none' };
const status = (r: { messages: Array<{ type: string; connectionStatus?: { status: string; message?: string } }> }) =>
  r.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus;

test('check succeeds with a connection string, an account key and a SAS token, and leaves no probe behind', async () => {
  const ways = {
    connection_string: { connection_string: az.connectionString },
    account_key: { account_name: az.accountName, endpoint: az.endpoint, account_key: az.accountKey },
    sas_token: { endpoint: az.endpoint, sas_token: az.sasToken('dw-check') },
  };
  for (const [way, auth] of Object.entries(ways)) {
    await az.resetRequests();
    const r = await runCli(['check'], { config: { store: { store_type: 'azure', container: 'dw-check', prefix: `chk-${way}`, ...auth }, format } });
    assert.deepEqual(status(r), { status: 'SUCCEEDED' }, way);
    const req = az.requests();
    assert.equal(req.PutBlob, 1, `${way}: the probe was created (${JSON.stringify(req)})`);
    assert.equal(req.GetBlob, 1, `${way}: and read back`);
  }
  const st = azureBlobStoreFromConfig({ container: 'dw-check', connection_string: az.connectionString }, 'bucket');
  const left: string[] = [];
  for await (const o of st.list('')) left.push(o.key);
  assert.deepEqual(left, []);
});

test('check fails with a specific message for a missing container, a wrong key and a read-only SAS; no secret in output', async () => {
  const missing = await runCli(['check'], { config: { store: { store_type: 'azure', container: 'no-such-container', connection_string: az.connectionString }, format } });
  assert.equal(status(missing)?.status, 'FAILED');
  assert.match(status(missing)!.message!, /container "no-such-container" of storage account "devstoreaccount1" does not exist/);

  const wrongKey = Buffer.from('not the account key at all').toString('base64');
  const bad = await runCli(['check'], { config: { store: { store_type: 'azure', container: 'dw-check', account_name: az.accountName, endpoint: az.endpoint, account_key: wrongKey }, format } });
  assert.equal(status(bad)?.status, 'FAILED');
  assert.match(status(bad)!.message!, /Authentication|access denied/);
  assert.ok(!JSON.stringify(bad.messages).includes(wrongKey));

  const readOnly = az.sasToken('dw-check', 'rl');
  const ro = await runCli(['check'], { config: { store: { store_type: 'azure', container: 'dw-check', endpoint: az.endpoint, sas_token: readOnly }, format } });
  assert.equal(status(ro)?.status, 'FAILED');
  assert.match(status(ro)!.message!, /may not write blobs.*Storage Blob Data Contributor/);
  const sig = /sig=([^&]+)/.exec(readOnly)![1]!;
  assert.ok(!JSON.stringify(ro.messages).includes(sig) && !JSON.stringify(ro.messages).includes(decodeURIComponent(sig)));

  const none = await runCli(['check'], { config: { store: { store_type: 'azure', container: 'dw-check' }, format } });
  assert.match(status(none)!.message!, /set exactly one of connection string, account key or SAS token/);
});

test('write metadata with dashes round-trips through Azure (stored as C# identifiers)', async () => {
  const catalog = { streams: [configured('deliveries', { id: { type: 'string' } })] };
  const r = await runWrite({ store: { store_type: 'azure', container: 'dw-check', prefix: 'meta', connection_string: az.connectionString }, format: format as never },
    catalog, [record('deliveries', { id: 'a' }), state('deliveries', { done: 1 })]);
  assert.equal(r.code, 0, JSON.stringify(r.messages.filter((m) => m.type === 'TRACE')));
  const st = azureBlobStoreFromConfig({ container: 'dw-check', prefix: 'meta', connection_string: az.connectionString }, 'bucket');
  let seen = 0;
  for await (const o of st.list('deliveries/')) {
    seen++;
    const h = await st.head(o.key);
    assert.equal(h?.metadata['ab-sync-id'], '7');
    assert.equal(h?.metadata['ab-generation-id'], '1');
  }
  assert.equal(seen, 1);
});
