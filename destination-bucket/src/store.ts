// Builds the configured ObjectStore. GCS (S3 interop) and Azure Blob slot in here without touching
// formats or batching.
import { LocalFolderStore, S3Store, type ObjectStore } from '@cio-dw/common';
import type { StoreConfig } from './config.js';

export function createStore(c: StoreConfig): ObjectStore {
  if (c.store_type === 'local') return new LocalFolderStore(c.path, { domain: 'bucket' });
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
