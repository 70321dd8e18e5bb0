// The advanced source: spec/check/discover/read over the spool the collector writes.
import { stat } from 'node:fs/promises';
import { loadJson, openSpoolStore, readSpoolObject, SPOOL_PREFIX, SpoolObjectCache } from '@cio-dw/common';
import type { CheckResult, ConnectorContext, ConnectorSpecification, JsonSchema, Source, SpoolStore } from '@cio-dw/common';
import { CALL_TYPES } from './calls/call.js';
import { callStream, groupByType } from './streams/call-stream.js';
import type { AdvancedConfig } from './streams/config.js';

export interface SourceDeps {
  /** Opens the spool (default: local folder or S3 from config). */
  openStore?: (config: AdvancedConfig) => SpoolStore;
  /** Budget of the per-read spool object cache shared by the streams (default 64 MB; 0 disables). */
  cacheBytes?: number;
}

const RESOURCES = new URL('../resources/', import.meta.url);
export const spec = loadJson<ConnectorSpecification>(RESOURCES, 'spec.json');
export function streamSchema(name: string): JsonSchema {
  return loadJson<JsonSchema>(RESOURCES, `schemas/${name}.json`);
}

export function createSource(deps: SourceDeps = {}): Source<AdvancedConfig> {
  const openStore = deps.openStore ?? ((c: AdvancedConfig) => openSpoolStore(c.spool));
  // One cache per source instance (one CLI read): the six streams decode each spool object once
  // while the cache's budget lasts, instead of six full reads of the spool.
  const cache = new SpoolObjectCache(groupByType, deps.cacheBytes ?? 64 * 1024 * 1024);
  const streams = CALL_TYPES.map((t) => callStream(t, streamSchema(t), { openStore, cache }));
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
