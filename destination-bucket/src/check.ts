// check: write a uniquely named probe object, read it back, delete only that probe.
import { randomUUID } from 'node:crypto';
import { ConfigError, isConnectorError, type CheckResult, type ObjectStore } from '@cio-dw/common';

export const PROBE_PREFIX = '_airbyte_check';

export async function checkStore(store: ObjectStore): Promise<CheckResult> {
  const key = `${PROBE_PREFIX}/probe-${randomUUID()}.txt`;
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
