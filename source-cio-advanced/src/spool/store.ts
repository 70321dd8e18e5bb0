// The subset of @cio-dw/common's ObjectStore the spool uses, and opening one from config.
import { ConfigError, LocalFolderStore, S3Store } from '@cio-dw/common';
import type { ObjectStore } from '@cio-dw/common';

export type SpoolStore = Pick<ObjectStore, 'putNew' | 'get' | 'list' | 'delete' | 'describe' | 'close'>;

export type SpoolConfig =
  | { storage: 'local'; path: string }
  | {
    storage: 's3'; bucket: string; prefix?: string; region: string; endpoint?: string; force_path_style?: boolean;
    access_key_id?: string; secret_access_key?: string;
  };

export function openSpoolStore(cfg: SpoolConfig): ObjectStore {
  if (cfg.storage === 'local') return new LocalFolderStore(cfg.path, { domain: 'spool' });
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
