// The source's parsed config (see resources/spec.json).
import type { SpoolConfig } from '../spool/store.js';

export interface AdvancedConfig {
  spool: SpoolConfig;
  settle_seconds: number;
  dedup_window_minutes: number;
}

/** Per-stream state: the last spool object read completely. */
export interface SpoolState { spool_key?: string }
