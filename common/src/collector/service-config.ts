// The config every collector service shares (spool, replica id, group commit, write deadline,
// retention, shutdown): JSON-schema properties to spread into a collector's own schema, and helpers.
import { randomBytes } from 'node:crypto';
import type { JsonSchema } from '../protocol/types.js';
import { spoolConfigSchema } from './spool-store.js';
import type { SpoolConfig, SpoolStore } from './spool-store.js';
import type { SpoolWriterOptions } from './spool-writer.js';

export interface CollectorServiceConfig {
  listen: { host: string; port: number };
  spool: SpoolConfig;
  collector_id?: string;
  group_commit: { window_ms: number; max_calls: number; max_bytes: number; max_concurrent_writes: number; max_pending_bytes: number };
  max_write_ms: number;
  retention_hours: number;
  retention_check_minutes: number;
  shutdown_timeout_ms: number;
}

export const intSchema = (dflt: number, minimum: number, description: string): JsonSchema => ({ type: 'integer', default: dflt, minimum, description });

/** Schema properties of CollectorServiceConfig (spread them into the collector's `properties`; require `spool`). */
export function serviceConfigProperties(o: { defaultPort?: number; spool?: JsonSchema } = {}): Record<string, JsonSchema> {
  return {
    listen: {
      type: 'object', default: {}, additionalProperties: false,
      properties: {
        host: { type: 'string', default: '127.0.0.1', description: 'Address to listen on; 0.0.0.0 for all interfaces.' },
        port: { type: 'integer', default: o.defaultPort ?? 8080, minimum: 0, maximum: 65535 },
      },
    },
    spool: o.spool ?? spoolConfigSchema,
    collector_id: { type: 'string', pattern: '^[a-z0-9]{1,16}$', description: 'Names this replica in spool keys; a random id per start by default.' },
    group_commit: {
      type: 'object', default: {}, additionalProperties: false,
      properties: {
        window_ms: intSchema(2, 0, 'How long the first call of a group waits for more before the group is written.'),
        max_calls: intSchema(5000, 1, 'A group is written at once when it holds this many calls.'),
        max_bytes: intSchema(4 * 1024 * 1024, 1, 'A group is written at once when it holds this many bytes.'),
        max_concurrent_writes: intSchema(4, 1, 'Spool writes in flight at once.'),
        max_pending_bytes: intSchema(64 * 1024 * 1024, 1, 'Beyond this many bytes waiting for the spool, requests get 503.'),
      },
    },
    max_write_ms: intSchema(10_000, 1, 'A spool write slower than this is not acknowledged (503; the sender retries). Keep it well below the source settle window.'),
    retention_hours: intSchema(168, 0, 'Spool objects older than this are deleted; 0 keeps everything.'),
    retention_check_minutes: intSchema(10, 1, 'How often retention runs.'),
    shutdown_timeout_ms: intSchema(10_000, 0, 'How long shutdown waits for requests in flight.'),
  };
}

/** The replica id: configured, or random per start. */
export function collectorId(cfg: Pick<CollectorServiceConfig, 'collector_id'>): string {
  return cfg.collector_id ?? randomBytes(5).toString('hex');
}

/** SpoolWriter options from the service config (store, clock, logger and id come from the caller). */
export function writerOptions(cfg: CollectorServiceConfig): Omit<SpoolWriterOptions, 'store' | 'clock' | 'logger' | 'writerId'> {
  const g = cfg.group_commit;
  return {
    maxWriteMs: cfg.max_write_ms, windowMs: g.window_ms, maxCalls: g.max_calls, maxBytes: g.max_bytes,
    maxConcurrentWrites: g.max_concurrent_writes, maxPendingBytes: g.max_pending_bytes,
  };
}

/** CollectorServer retention options from the service config. */
export function retentionOptions(cfg: CollectorServiceConfig, store: SpoolStore, clock: SpoolWriterOptions['clock']) {
  return { store, clock, retentionMs: cfg.retention_hours * 3_600_000, everyMs: cfg.retention_check_minutes * 60_000 };
}
