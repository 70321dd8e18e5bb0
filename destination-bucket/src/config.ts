// The destination's config (as validated against resources/spec.json) and its normalised settings.
import { ConfigError, loadJson, type ConnectorSpecification } from '@cio-dw/common';
import type { Compression, FormatType } from './formats/encoder.js';
import { resolveTemplate } from './naming.js';

export const spec = loadJson<ConnectorSpecification>(import.meta.url, '../resources/spec.json');

export type StoreConfig =
  | { store_type: 'local'; path: string }
  | {
    store_type: 's3'; bucket: string; prefix?: string; region: string; endpoint?: string; path_style?: boolean;
    access_key_id?: string; secret_access_key?: string; session_token?: string;
  };

export interface BucketConfig {
  store: StoreConfig;
  format: { format_type: FormatType; compression?: Compression; row_group_rows?: number };
  path_template?: string;
  workspace_id?: string;
  flush_rows?: number;
  target_file_size_mb?: number;
  flush_interval_seconds?: number;
  include_airbyte_columns?: boolean;
  max_record_size_mb?: number;
  superseded_generations?: 'keep' | 'delete';
}

export interface Settings {
  format: FormatType;
  compression: Compression;
  rowGroupRows: number;
  template: string;
  workspaceId: string | undefined;
  flushRows: number;
  targetFileBytes: number;
  flushIntervalMs: number;
  includeAirbyteColumns: boolean;
  /** superseded_generations = delete: delete older generations' files once a new one is complete. */
  deleteSuperseded: boolean;
}

export function settingsFrom(c: BucketConfig): Settings {
  let template: string;
  try {
    template = resolveTemplate(c.path_template ?? 'default');
  } catch (e) {
    throw new ConfigError(`bucket: ${(e as Error).message}. Fix the object key template.`);
  }
  if (template.includes('{workspace_id}') && !c.workspace_id) {
    throw new ConfigError('bucket: the object key template uses {workspace_id} (the customerio preset does): set workspace_id to your Customer.io workspace ID.');
  }
  const format = c.format.format_type;
  return {
    format,
    compression: c.format.compression ?? (format === 'parquet' ? 'zstd' : 'gzip'),
    rowGroupRows: c.format.row_group_rows ?? 10_000,
    template,
    workspaceId: c.workspace_id,
    flushRows: c.flush_rows ?? 10_000_000,
    targetFileBytes: (c.target_file_size_mb ?? 128) * 1024 * 1024,
    flushIntervalMs: (c.flush_interval_seconds ?? 300) * 1000,
    includeAirbyteColumns: c.include_airbyte_columns ?? true,
    deleteSuperseded: c.superseded_generations === 'delete',
  };
}
