// check: write a uniquely named probe object, read it back, delete only that probe. The probe's key
// is one the configured template renders (under the probe folder), so a template the store cannot
// use fails the check rather than the sync.
import { randomUUID } from 'node:crypto';
import { ConfigError, isConnectorError, type CheckResult, type ObjectStore } from '@cio-dw/common';
import type { Settings } from './config.js';
import { checkKey, sampleKey } from './key-check.js';

export const PROBE_PREFIX = '_airbyte_check';
export const PROBE_STREAM = 'airbyte_check';

export async function checkStore(store: ObjectStore, settings?: Settings): Promise<CheckResult> {
  let key = `${PROBE_PREFIX}/probe-${randomUUID()}.txt`;
  if (settings) {
    const data = sampleKey(settings, PROBE_STREAM, PROBE_STREAM, Date.now()).replace('9'.repeat(22), randomUUID().replace(/-/g, '').slice(0, 22));
    try {
      checkKey(data, store.kind, PROBE_STREAM);
    } catch (e) {
      await store.close().catch(() => undefined);
      return { ok: false, message: (e as Error).message };
    }
    key = `${PROBE_PREFIX}/${data}`;
  }
  const body = Buffer.from(`cio-dw destination-bucket check ${new Date().toISOString()}\n`);
  let written = false;
  try {
    await store.putNew(key, body, { contentType: 'text/plain' });
    written = true;
    const back = await store.get(key);
    if (Buffer.compare(Buffer.from(back), body) !== 0) {
      return { ok: false, message: `bucket: the probe object ${key} read back differently from what was written in ${store.describe()}; the store does not keep data intact.` };
    }
    return { ok: true };
  } catch (e) {
    const msg = isConnectorError(e) ? e.message : `bucket: ${(e as Error)?.message ?? String(e)}`;
    return { ok: false, message: `${msg}${e instanceof ConfigError ? '' : ` (while checking ${store.describe()})`}` };
  } finally {
    if (written) await store.delete(key).catch(() => undefined);
    await store.close().catch(() => undefined);
  }
}
