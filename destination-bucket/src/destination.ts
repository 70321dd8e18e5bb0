// The bucket destination: spec, check and a sink per write.
import type { ConfiguredAirbyteCatalog, ConnectorContext, Destination, ObjectStore } from '@cio-dw/common';
import { ConfigError, InvalidKeyError } from '@cio-dw/common';
import { checkStore } from './check.js';
import { settingsFrom, spec, type BucketConfig, type StoreConfig } from './config.js';
import { BucketSink } from './sink.js';
import { createStore } from './store.js';

export interface DestinationDeps {
  /** Builds the store (tests inject a wrapped or faulty one). */
  createStore?: (c: StoreConfig) => ObjectStore;
  random?: () => number;
  /** Memory budget across all streams (tests use a small one). */
  memoryBudgetBytes?: number;
}

export function createDestination(deps: DestinationDeps = {}): Destination<BucketConfig> {
  const makeStore = deps.createStore ?? createStore;
  return {
    spec,
    async check(config: BucketConfig, _ctx: ConnectorContext) {
      try {
        const settings = settingsFrom(config);
        return await checkStore(makeStore(config.store), settings);
      } catch (e) {
        if (e instanceof ConfigError) return { ok: false, message: e.message };
        if (e instanceof InvalidKeyError) return { ok: false, message: `bucket: ${e.message}. Fix the store's path or prefix.` };
        throw e;
      }
    },
    async open(config: BucketConfig, catalog: ConfiguredAirbyteCatalog, ctx: ConnectorContext) {
      const settings = settingsFrom(config);
      const store = makeStore(config.store);
      ctx.logger.info(`bucket: writing ${settings.format} (${settings.compression}) to ${store.describe()}`);
      return new BucketSink({ store, settings, clock: ctx.clock, logger: ctx.logger, ...(deps.random ? { random: deps.random } : {}),
        ...(deps.memoryBudgetBytes ? { memoryBudgetBytes: deps.memoryBudgetBytes } : {}) }, catalog);
    },
  };
}
