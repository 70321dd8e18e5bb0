// Config sections for the Azure Blob and GCS stores, shared by the destination's `store` and the
// sources' `spool` (same fields, same secrets), with their JSON-schema properties and the mapping to
// store options. The discriminator (store_type / storage) belongs to each connector's own schema.
import { ConfigError } from '../errors.js';
import type { JsonSchema } from '../protocol/types.js';
import type { AzureBlobStoreOptions } from './azure-blob-store.js';
import type { GcsStoreOptions } from './gcs-store.js';
import { LazyStore } from './lazy-store.js';
import { normaliseRootPrefix, type ObjectStore } from './object-store.js';

export interface AzureBlobConfig {
  container: string; prefix?: string; account_name?: string; endpoint?: string;
  connection_string?: string; account_key?: string; sas_token?: string;
}
export interface GcsConfig { bucket: string; prefix?: string; service_account_json?: string; project_id?: string; endpoint?: string }

type Tuning<T> = Partial<Omit<T, 'domain'>>;

/** The Azure Blob store for a config section; its SDK loads on first use. Config errors are thrown here. */
export function azureBlobStoreFromConfig(c: AzureBlobConfig, domain: string, tuning: Tuning<AzureBlobStoreOptions> = {}): ObjectStore {
  const opts: AzureBlobStoreOptions = {
    ...tuning,
    container: c.container, prefix: c.prefix ?? '', domain,
    ...(c.account_name ? { accountName: c.account_name } : {}),
    ...(c.endpoint ? { endpoint: c.endpoint } : {}),
    ...(c.connection_string ? { connectionString: c.connection_string } : {}),
    ...(c.account_key ? { accountKey: c.account_key } : {}),
    ...(c.sas_token ? { sasToken: c.sas_token } : {}),
  };
  if (!c.container || /[/:]/.test(c.container)) {
    throw new ConfigError(`${domain}: "${c.container ?? ''}" is not a container name. Use the bare name (no URL and no path); put the path in the prefix.`);
  }
  const ways = [c.connection_string, c.account_key, c.sas_token].filter((x) => x !== undefined && x !== '').length;
  if (ways !== 1) {
    throw new ConfigError(`${domain}: set exactly one of connection string, account key or SAS token for Azure Blob Storage ` +
      `(${ways === 0 ? 'none is set' : `${ways} are set`}).`);
  }
  const account = c.account_name ?? /(?:^|;)AccountName=([^;]+)/i.exec(c.connection_string ?? '')?.[1] ?? '';
  const where = `azure blob container "${c.container}"${account ? ` of account "${account}"` : ''}, prefix "${normaliseRootPrefix(c.prefix)}"`;
  return new LazyStore('azure', where, async () => new (await import('./azure-blob-store.js')).AzureBlobStore(opts));
}

/** The GCS store for a config section; its SDK loads on first use. Config errors are thrown here. */
export function gcsStoreFromConfig(c: GcsConfig, domain: string, tuning: Tuning<GcsStoreOptions> = {}): ObjectStore {
  const opts: GcsStoreOptions = {
    ...tuning,
    bucket: c.bucket, prefix: c.prefix ?? '', domain,
    ...(c.service_account_json ? { serviceAccountJson: c.service_account_json } : {}),
    ...(c.project_id ? { projectId: c.project_id } : {}),
    ...(c.endpoint ? { endpoint: c.endpoint } : {}),
  };
  if (!c.bucket || /[/:]/.test(c.bucket)) {
    throw new ConfigError(`${domain}: "${c.bucket ?? ''}" is not a bucket name. Use the bare name (no gs:// and no path); put the path in the prefix.`);
  }
  const where = `gs://${c.bucket}/${normaliseRootPrefix(c.prefix)}${c.endpoint ? ` (endpoint ${c.endpoint})` : ''}`;
  return new LazyStore('gcs', where, async () => new (await import('./gcs-store.js')).GcsStore(opts));
}

/** JSON-schema properties of an Azure Blob section (orders start at 1: 0 is the discriminator). */
export const azureBlobConfigProperties: Record<string, JsonSchema> = {
  container: { title: 'Container', description: 'Container name only (no URL and no path).', type: 'string', order: 1 },
  prefix: { title: 'Prefix', description: 'Folder inside the container under which all blobs go, e.g. customerio/raw. Empty for the container root.', type: 'string', default: '', order: 2 },
  account_name: { title: 'Storage account name', description: 'Needed with an account key, and with a SAS token unless the endpoint is set. Not needed with a connection string.', type: 'string', order: 3 },
  endpoint: { title: 'Endpoint', description: 'Blob service URL. Leave empty for https://<account>.blob.core.windows.net; set it for sovereign clouds or Azurite (http://127.0.0.1:10000/devstoreaccount1).', type: 'string', examples: ['https://myaccount.blob.core.windows.net'], order: 4 },
  connection_string: { title: 'Connection string', description: 'Set exactly one of connection string, account key or SAS token.', type: 'string', airbyte_secret: true, always_show: true, order: 5 },
  account_key: { title: 'Account key', description: 'key1 or key2 from the storage account\'s Access keys page.', type: 'string', airbyte_secret: true, always_show: true, order: 6 },
  sas_token: { title: 'SAS token', description: 'A SAS token with read, add, create, write, delete and list permissions on the container (without the leading ?).', type: 'string', airbyte_secret: true, always_show: true, order: 7 },
};

/** JSON-schema properties of a GCS section (orders start at 1: 0 is the discriminator). */
export const gcsConfigProperties: Record<string, JsonSchema> = {
  bucket: { title: 'Bucket', description: 'Bucket name only (no gs:// and no path).', type: 'string', order: 1 },
  prefix: { title: 'Prefix', description: 'Folder inside the bucket under which all objects go, e.g. customerio/raw. Empty for the bucket root.', type: 'string', default: '', order: 2 },
  service_account_json: { title: 'Service account key (JSON)', description: 'The whole JSON key file of a service account with the Storage Object User role on the bucket. Leave empty to use Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, workload identity, metadata server).', type: 'string', airbyte_secret: true, multiline: true, always_show: true, order: 3 },
  project_id: { title: 'Project ID', description: 'Only needed by some default-credential setups.', type: 'string', order: 4 },
  endpoint: { title: 'Endpoint', description: 'Custom JSON API endpoint (private endpoints, emulators). Leave empty for https://storage.googleapis.com.', type: 'string', order: 5 },
};

/** One `oneOf` variant: discriminator `field` = `value`, then the shared properties. */
export function storeVariant(title: string, field: string, value: string, properties: Record<string, JsonSchema>, required: string[]): JsonSchema {
  return {
    title, type: 'object', required: [field, ...required],
    properties: { [field]: { type: 'string', const: value, default: value, order: 0 }, ...properties },
  };
}
