// Builds the configured ObjectStore: local folder, S3 / S3-compatible, Azure Blob or GCS. Formats and
// batching never see which.
import { azureBlobStoreFromConfig, gcsStoreFromConfig, LocalFolderStore, S3Store, type ObjectStore } from '@cio-dw/common';
import type { StoreConfig } from './config.js';

export function createStore(c: StoreConfig): ObjectStore {
  if (c.store_type === 'local') return new LocalFolderStore(c.path, { domain: 'bucket' });
  if (c.store_type === 'azure') return azureBlobStoreFromConfig(c, 'bucket', { blockSizeBytes: 8 * 1024 * 1024, concurrency: 2 });
  if (c.store_type === 'gcs') return gcsStoreFromConfig(c, 'bucket', { chunkSizeBytes: 8 * 1024 * 1024 });
  return new S3Store({
    bucket: c.bucket,
    prefix: c.prefix ?? '',
    region: c.region,
    ...(c.endpoint ? { endpoint: c.endpoint } : {}),
    ...(c.path_style !== undefined ? { forcePathStyle: c.path_style } : {}),
    ...(c.access_key_id && c.secret_access_key ? {
      credentials: {
        accessKeyId: c.access_key_id, secretAccessKey: c.secret_access_key,
        ...(c.session_token ? { sessionToken: c.session_token } : {}),
      },
    } : {}),
    partSizeBytes: 8 * 1024 * 1024,
    queueSize: 2,
  });
}
