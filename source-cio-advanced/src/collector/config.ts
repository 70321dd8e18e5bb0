// The collector's own config file (`collect --config collector.json`): schema, defaults, secrets.
// The service part (listen, spool, group commit, retention, shutdown) is common to every collector.
import { parseConfig, readJsonFile, secretValues, serviceConfigProperties, intSchema } from '@cio-dw/common';
import type { CollectorServiceConfig, JsonSchema } from '@cio-dw/common';
import { spec } from '../source.js';

export interface CollectorConfig extends CollectorServiceConfig {
  write_keys: string[];
  webhook_secret?: string;
  webhook_path: string;
  limits: { max_call_bytes: number; max_batch_bytes: number; max_webhook_bytes: number; max_webhook_events: number };
}

export const collectorSchema: JsonSchema = {
  type: 'object',
  required: ['spool'],
  additionalProperties: false,
  properties: {
    ...serviceConfigProperties({ spool: (spec.connectionSpecification as { properties: Record<string, JsonSchema> }).properties.spool! }),
    write_keys: {
      type: 'array', default: [], description: 'Accepted write keys (HTTP Basic user name), one per data source.',
      items: { type: 'string', minLength: 8, airbyte_secret: true },
    },
    webhook_secret: { type: 'string', minLength: 8, airbyte_secret: true, description: 'Shared secret of the Customer.io Webhook destination (X-Signature). Unset: the webhook endpoint is off.' },
    webhook_path: { type: 'string', default: '/webhook', pattern: '^/[A-Za-z0-9/_-]*$' },
    limits: {
      type: 'object', default: {}, additionalProperties: false,
      properties: {
        max_call_bytes: intSchema(32768, 1, 'Largest call (single endpoint body, or one call of a batch).'),
        max_batch_bytes: intSchema(512000, 1, 'Largest /v1/batch body.'),
        max_webhook_bytes: intSchema(16 * 1024 * 1024, 1, 'Largest webhook body.'),
        max_webhook_events: intSchema(1000, 1, 'Most events in one webhook body.'),
      },
    },
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

export { collectorId } from '@cio-dw/common';
