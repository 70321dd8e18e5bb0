// The advanced source: spec/check/discover/read over the spool the collector writes.
import { stat } from 'node:fs/promises';
import { loadJson } from '@cio-dw/common';
import type { CheckResult, ConnectorContext, ConnectorSpecification, JsonSchema, Source } from '@cio-dw/common';
import { CALL_TYPES } from './calls/call.js';
import { readSpoolObject } from './spool/reader.js';
import { SPOOL_PREFIX } from './spool/keys.js';
import { openSpoolStore } from './spool/store.js';
import type { SpoolStore } from './spool/store.js';
import { callStream } from './streams/call-stream.js';
import type { AdvancedConfig } from './streams/config.js';

export interface SourceDeps {
  /** Opens the spool (default: local folder or S3 from config). */
  openStore?: (config: AdvancedConfig) => SpoolStore;
}

const RESOURCES = new URL('../resources/', import.meta.url);
export const spec = loadJson<ConnectorSpecification>(RESOURCES, 'spec.json');
export function streamSchema(name: string): JsonSchema {
  return loadJson<JsonSchema>(RESOURCES, `schemas/${name}.json`);
}

export function createSource(deps: SourceDeps = {}): Source<AdvancedConfig> {
  const openStore = deps.openStore ?? ((c: AdvancedConfig) => openSpoolStore(c.spool));
  const streams = CALL_TYPES.map((t) => callStream(t, streamSchema(t), { openStore }));
  return {
    spec,
    streams: () => streams,
    async check(config: AdvancedConfig, _ctx: ConnectorContext): Promise<CheckResult> {
      if (config.spool.storage === 'local' && !deps.openStore) {
        const st = await stat(config.spool.path).catch(() => undefined);
        if (!st?.isDirectory()) return { ok: false, message: `spool: folder ${config.spool.path} does not exist; start the collector with the same spool path, or fix spool.path` };
      }
      const store = openStore(config);
      try {
        for await (const o of store.list(SPOOL_PREFIX, { limit: 1 })) await readSpoolObject(store, o.key);
        return { ok: true };
      } finally {
        await store.close();
      }
    },
  };
}
