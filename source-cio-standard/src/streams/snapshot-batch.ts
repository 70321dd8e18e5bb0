// One batch of a people snapshot: customers in the `/customers/attributes` item shape, and the token
// that resumes the snapshot after this batch (undefined after the last one).
import type { JsonObject } from '../client/cio-client.js';

export interface SnapshotBatch { customers: JsonObject[]; next: string | undefined }
