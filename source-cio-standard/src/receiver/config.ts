// The receiver's own config file (`collect --config receiver.json`): the common collector service
// settings (listen, spool, group commit, retention, shutdown) plus the reporting webhook's signing key.
import { intSchema, parseConfig, readJsonFile, secretValues, serviceConfigProperties } from '@cio-dw/common';
import type { CollectorServiceConfig, JsonSchema } from '@cio-dw/common';

export interface ReceiverConfig extends CollectorServiceConfig {
  /** The reporting webhook's signing key (Customer.io shows it on the webhook's page). */
  signing_key: string;
  /** The path Customer.io POSTs to. */
  path: string;
  /** Requests whose X-CIO-Timestamp is further than this from now are refused (401): replays. */
  replay_window_seconds: number;
  max_body_bytes: number;
}

export const receiverSchema: JsonSchema = {
  type: 'object',
  required: ['spool', 'signing_key'],
  additionalProperties: false,
  properties: {
    ...serviceConfigProperties({ defaultPort: 8090 }),
    signing_key: { type: 'string', minLength: 8, airbyte_secret: true, description: 'Signing key of the reporting webhook (Data & Integrations > Reporting Webhooks > the webhook > Signing key).' },
    path: { type: 'string', default: '/cio/reporting', pattern: '^/[A-Za-z0-9/_-]*$', description: 'Path of the webhook URL you give Customer.io.' },
    replay_window_seconds: intSchema(300, 1, 'Refuse requests whose X-CIO-Timestamp is more than this many seconds from now (replays, or a clock far off).'),
    max_body_bytes: intSchema(1024 * 1024, 1, 'Largest request body (one event).'),
  },
};

export async function loadReceiverConfig(path: string, addSecrets: (s: string[]) => void): Promise<Readonly<ReceiverConfig>> {
  const raw = await readJsonFile(path, 'receiver config');
  addSecrets(secretValues(receiverSchema, raw));
  return parseConfig<ReceiverConfig>(receiverSchema, raw, 'receiver config');
}

export function parseReceiverConfig(raw: unknown): Readonly<ReceiverConfig> {
  return parseConfig<ReceiverConfig>(receiverSchema, raw, 'receiver config');
}
