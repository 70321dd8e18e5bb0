// The subset of ObjectStore the spool uses, the spool config (schema + type), and opening one from it.
import { ConfigError } from '../errors.js';
import type { JsonSchema } from '../protocol/types.js';
import {
  azureBlobConfigProperties, azureBlobStoreFromConfig, gcsConfigProperties, gcsStoreFromConfig, LocalFolderStore, S3Store,
  storeVariant, type AzureBlobConfig, type GcsConfig, type ObjectStore,
} from '../store/index.js';

export type SpoolStore = Pick<ObjectStore, 'putNew' | 'get' | 'list' | 'delete' | 'describe' | 'close'>;

export type SpoolConfig =
  | { storage: 'local'; path: string }
  | {
    storage: 's3'; bucket: string; prefix?: string; region: string; endpoint?: string; force_path_style?: boolean;
    access_key_id?: string; secret_access_key?: string;
  }
  | ({ storage: 'azure' } & AzureBlobConfig)
  | ({ storage: 'gcs' } & GcsConfig);

export function openSpoolStore(cfg: SpoolConfig): ObjectStore {
  if (cfg.storage === 'local') return new LocalFolderStore(cfg.path, { domain: 'spool' });
  if (cfg.storage === 'azure') return azureBlobStoreFromConfig(cfg, 'spool');
  if (cfg.storage === 'gcs') return gcsStoreFromConfig(cfg, 'spool');
  if ((cfg.access_key_id === undefined) !== (cfg.secret_access_key === undefined)) {
    throw new ConfigError('spool: set both access_key_id and secret_access_key, or neither (to use the default AWS credentials chain)');
  }
  return new S3Store({
    bucket: cfg.bucket, prefix: cfg.prefix ?? '', region: cfg.region, domain: 'spool',
    ...(cfg.endpoint ? { endpoint: cfg.endpoint } : {}),
    ...(cfg.force_path_style !== undefined ? { forcePathStyle: cfg.force_path_style } : {}),
    ...(cfg.access_key_id && cfg.secret_access_key ? { credentials: { accessKeyId: cfg.access_key_id, secretAccessKey: cfg.secret_access_key } } : {}),
  });
}

/** JSON schema of a `spool` config section (local folder, S3 / S3-compatible, Azure Blob or GCS), for specs and collector configs. */
export const spoolConfigSchema: JsonSchema = {
  "title": "Spool",
  "description": "Where the collector writes the calls it accepted and the source reads them: a local folder (one machine), or an S3 / S3-compatible, Azure Blob or Google Cloud Storage prefix (several collector replicas).",
  "type": "object",
  "oneOf": [
    {
      "title": "Local folder",
      "type": "object",
      "required": [
        "storage",
        "path"
      ],
      "properties": {
        "storage": {
          "type": "string",
          "const": "local",
          "default": "local",
          "order": 0
        },
        "path": {
          "type": "string",
          "title": "Folder",
          "description": "Absolute path of the spool folder shared by the collector and the source.",
          "examples": [
            "/var/lib/cio-spool"
          ],
          "order": 1
        }
      }
    },
    {
      "title": "S3 or S3-compatible",
      "type": "object",
      "required": [
        "storage",
        "bucket",
        "region"
      ],
      "properties": {
        "storage": {
          "type": "string",
          "const": "s3",
          "default": "s3",
          "order": 0
        },
        "bucket": {
          "type": "string",
          "title": "Bucket",
          "order": 1
        },
        "prefix": {
          "type": "string",
          "title": "Prefix",
          "description": "Key prefix inside the bucket, e.g. cio-spool/.",
          "default": "",
          "order": 2
        },
        "region": {
          "type": "string",
          "title": "Region",
          "default": "us-east-1",
          "order": 3
        },
        "endpoint": {
          "type": "string",
          "title": "Endpoint",
          "description": "Only for S3-compatible services (MinIO, R2, GCS interop).",
          "order": 4
        },
        "force_path_style": {
          "type": "boolean",
          "title": "Path-style addressing",
          "default": false,
          "order": 5
        },
        "access_key_id": {
          "type": "string",
          "title": "Access key id",
          "airbyte_secret": true,
          "order": 6
        },
        "secret_access_key": {
          "type": "string",
          "title": "Secret access key",
          "airbyte_secret": true,
          "order": 7
        }
      }
    },
    storeVariant('Azure Blob Storage', 'storage', 'azure', azureBlobConfigProperties, ['container']),
    storeVariant('Google Cloud Storage', 'storage', 'gcs', gcsConfigProperties, ['bucket']),
  ],
  "order": 0
};
