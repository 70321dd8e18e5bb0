// The collector's own config file (`collect --config collector.json`): schema, defaults, secrets.
import { randomBytes } from 'node:crypto';
import { parseConfig, readJsonFile, secretValues } from '@cio-dw/common';
import type { JsonSchema } from '@cio-dw/common';
import { spec } from '../source.js';
import type { SpoolConfig } from '../spool/store.js';

export interface CollectorConfig {
  listen: { host: string; port: number };
  write_keys: string[];
  webhook_secret?: string;
  webhook_path: string;
  spool: SpoolConfig;
  collector_id?: string;
  limits: { max_call_bytes: number; max_batch_bytes: number; max_webhook_bytes: number; max_webhook_events: number };
  group_commit: { window_ms: number; max_calls: number; max_bytes: number; max_concurrent_writes: number; max_pending_bytes: number };
  max_write_ms: number;
  retention_hours: number;
  retention_check_minutes: number;
  shutdown_timeout_ms: number;
}

const int = (dflt: number, minimum: number, description: string) => ({ type: 'integer', default: dflt, minimum, description });

export const collectorSchema: JsonSchema = {
  type: 'object',
  required: ['spool'],
  additionalProperties: false,
  properties: {
    listen: {
      type: 'object', default: {}, additionalProperties: false,
      properties: {
        host: { type: 'string', default: '127.0.0.1', description: 'Address to listen on; 0.0.0.0 for all interfaces.' },
        port: { type: 'integer', default: 8080, minimum: 0, maximum: 65535 },
      },
    },
    write_keys: {
      type: 'array', default: [], description: 'Accepted write keys (HTTP Basic user name), one per data source.',
      items: { type: 'string', minLength: 8, airbyte_secret: true },
    },
    webhook_secret: { type: 'string', minLength: 8, airbyte_secret: true, description: 'Shared secret of the Customer.io Webhook destination (X-Signature). Unset: the webhook endpoint is off.' },
    webhook_path: { type: 'string', default: '/webhook', pattern: '^/[A-Za-z0-9/_-]*$' },
    spool: (spec.connectionSpecification as { properties: Record<string, unknown> }).properties.spool,
    collector_id: { type: 'string', pattern: '^[a-z0-9]{1,16}$', description: 'Names this replica in spool keys; a random id per start by default.' },
    limits: {
      type: 'object', default: {}, additionalProperties: false,
      properties: {
        max_call_bytes: int(32768, 1, 'Largest call (single endpoint body, or one call of a batch).'),
        max_batch_bytes: int(512000, 1, 'Largest /v1/batch body.'),
        max_webhook_bytes: int(16 * 1024 * 1024, 1, 'Largest webhook body.'),
        max_webhook_events: int(1000, 1, 'Most events in one webhook body.'),
      },
    },
    group_commit: {
      type: 'object', default: {}, additionalProperties: false,
      properties: {
        window_ms: int(2, 0, 'How long the first call of a group waits for more before the group is written.'),
        max_calls: int(5000, 1, 'A group is written at once when it holds this many calls.'),
        max_bytes: int(4 * 1024 * 1024, 1, 'A group is written at once when it holds this many bytes.'),
        max_concurrent_writes: int(4, 1, 'Spool writes in flight at once.'),
        max_pending_bytes: int(64 * 1024 * 1024, 1, 'Beyond this many bytes waiting for the spool, requests get 503.'),
      },
    },
    max_write_ms: int(10_000, 1, 'A spool write slower than this is not acknowledged (503; the SDK retries). Keep it well below the source settle window.'),
    retention_hours: int(168, 0, 'Spool objects older than this are deleted; 0 keeps everything.'),
    retention_check_minutes: int(10, 1, 'How often retention runs.'),
    shutdown_timeout_ms: int(10_000, 0, 'How long shutdown waits for requests in flight.'),
  },
};

export async function loadCollectorConfig(path: string, addSecrets: (s: string[]) => void): Promise<Readonly<CollectorConfig>> {
  const raw = await readJsonFile(path, 'collector config');
  addSecrets(secretValues(collectorSchema, raw));
  return parseConfig<CollectorConfig>(collectorSchema, raw, 'collector config');
}

export function parseCollectorConfig(raw: unknown): Readonly<CollectorConfig> {
  return parseConfig<CollectorConfig>(collectorSchema, raw, 'collector config');
}

export function collectorId(cfg: CollectorConfig): string {
  return cfg.collector_id ?? randomBytes(5).toString('hex');
}
