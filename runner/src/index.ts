export { main } from './main.js';
export { runSync } from './sync.js';
export type { SyncSpec, SyncResult } from './sync.js';
export { configureCatalog } from './catalog.js';
export { parseDuration } from './duration.js';
export { readStateFile, writeStateFile, mergeState } from './state-file.js';
export type { SavedState } from './state-file.js';
export { acquireLock, LockedError } from './lock.js';
export { createProgress } from './progress.js';
