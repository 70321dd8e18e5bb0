// Collector machinery shared by the connectors that receive HTTP calls and spool them durably:
// the HTTP skeleton, body reading, the group-commit spool writer, the spool format, keys, reader and retention.
export { HttpError } from './http-error.js';
export { readBody, parseJson } from './body.js';
export { CollectorServer, sendJson, type CollectorServerOptions, type ListenAddress } from './http-server.js';
export { SPOOL_PREFIX, spoolKey, keyTime, keyBefore } from './spool-keys.js';
export { DamagedObjectError, encodeSpoolObject, decodeSpoolObject } from './spool-format.js';
export { spoolObjects, readSpoolObject, type SpoolObjectRef } from './spool-reader.js';
export { deleteExpired } from './spool-retention.js';
export { SpoolWriter, SpoolUnavailableError, type GroupCommitOptions, type SpoolWriterOptions } from './spool-writer.js';
export { openSpoolStore, spoolConfigSchema, type SpoolStore, type SpoolConfig } from './spool-store.js';
export { serviceConfigProperties, collectorId, writerOptions, retentionOptions, intSchema, type CollectorServiceConfig } from './service-config.js';
export { spoolBatches, type SpoolBatch } from './spool-batches.js';
export { SpoolObjectCache } from './spool-cache.js';
