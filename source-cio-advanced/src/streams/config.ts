// The source's parsed config (see resources/spec.json).
import type { SpoolConfig } from '@cio-dw/common';

export interface AdvancedConfig {
  spool: SpoolConfig;
  settle_seconds: number;
  dedup_window_minutes: number;
}

/** Per-stream state: the last spool object read completely. */
export interface SpoolState { spool_key?: string }
