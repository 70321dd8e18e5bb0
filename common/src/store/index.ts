// Public API of the object-store layer (re-exported by common/src/index.ts).
export {
  type ObjectStore, type ObjectBody, type PutOptions, type PutResult, type ObjectInfo, type HeadResult, type ListOptions,
  ObjectExistsError, ObjectNotFoundError, InvalidKeyError,
  validateKey, validatePrefix, normaliseRootPrefix, compareKeys, bodyChunks, TEMP_PREFIX, MAX_KEY_BYTES,
} from './object-store.js';
export { LocalFolderStore, type LocalFolderStoreOptions } from './local-folder-store.js';
export { S3Store, s3ClientConfig, WRITE_ID_METADATA, type S3StoreOptions, type S3Credentials } from './s3-store.js';
export { mapS3Error, s3ErrorCode, s3HttpStatus, redirectRegion, type S3Action, type S3ErrorContext } from './s3-errors.js';
// The Azure and GCS store classes load their SDKs: import them from their modules, or use the factories.
export type { AzureBlobStoreOptions } from './azure-blob-store.js';
export { mapAzureError, redactAzure, azureErrorCode, type AzureAction, type AzureErrorContext } from './azure-errors.js';
export { fixedChunks } from './fixed-chunks.js';
export type { GcsStoreOptions } from './gcs-store.js';
export { LazyStore } from './lazy-store.js';
export { mapGcsError, gcsHttpStatus, gcsReason, type GcsAction, type GcsErrorContext } from './gcs-errors.js';
export {
  azureBlobStoreFromConfig, gcsStoreFromConfig, azureBlobConfigProperties, gcsConfigProperties, storeVariant,
  type AzureBlobConfig, type GcsConfig,
} from './store-config.js';
