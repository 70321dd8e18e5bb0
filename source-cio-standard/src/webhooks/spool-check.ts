// `check` with reporting_webhooks: the spool is reachable (a local folder exists; a listing works).
import { stat } from 'node:fs/promises';
import { SPOOL_PREFIX } from '@cio-dw/common';
import type { CheckResult } from '@cio-dw/common';
import type { WebhookSpoolConfig } from '../config.js';
import { openWebhookStore } from './spool-reader.js';

export async function checkWebhookSpool(wh: WebhookSpoolConfig): Promise<CheckResult> {
  if (wh.spool.storage === 'local') {
    const st = await stat(wh.spool.path).catch(() => undefined);
    if (!st?.isDirectory()) return { ok: false, message: `cio webhooks: spool folder ${wh.spool.path} does not exist; start \`source-cio-standard collect\` with the same spool path, or fix reporting_webhooks.spool.path` };
  }
  const store = openWebhookStore(wh);
  try {
    for await (const _ of store.list(SPOOL_PREFIX, { limit: 1 })) break;
    return { ok: true };
  } finally {
    await store.close();
  }
}
