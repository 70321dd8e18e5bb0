// The advanced source: spec/check/discover/read over the spool the collector writes.
import { DamagedObjectError, loadJson, openSpoolStore, readSpoolObject, SPOOL_PREFIX, SpoolObjectCache } from '@cio-dw/common';
import type { CheckResult, ConnectorContext, ConnectorSpecification, JsonSchema, Source, SpoolStore } from '@cio-dw/common';
import { CALL_TYPES } from './calls/call.js';
import { callStream, groupByType } from './streams/call-stream.js';
import type { AdvancedConfig } from './streams/config.js';
import { missingSpool } from './streams/spool-exists.js';

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
  const streams = CALL_TYPES.map((t, i) => callStream(t, streamSchema(t), { openStore, cache, reportsUnroutable: i === 0 }));
  return {
    spec,
    streams: () => streams,
    async check(config: AdvancedConfig, _ctx: ConnectorContext): Promise<CheckResult> {
      const missing = deps.openStore ? undefined : await missingSpool(config);
      if (missing) return { ok: false, message: missing };
      const store = openStore(config);
      try {
        for await (const o of store.list(SPOOL_PREFIX, { limit: 1 })) {
          try {
            await readSpoolObject(store, o.key);
          } catch (e) {
            if (!(e instanceof DamagedObjectError)) throw e;
            return { ok: false, message: `${e.message}: the spool holds an object that is not a complete spool write; read skips such objects with a warning, delete it to pass check` };
          }
        }
        return { ok: true };
      } finally {
        await store.close();
      }
    },
  };
}
