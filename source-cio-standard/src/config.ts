// The parsed connector config (validated against resources/spec.json by the kit's runner).
import type { SpoolConfig } from '@cio-dw/common';

export type Region = 'US' | 'EU';

export interface CioConfig {
  app_api_key: string;
  region: Region;
  workspace_id: number;
  start_date: string;
  lookback_days: number;
  requests_per_second: number;
  window_days: number;
  /** Each sync reads up to now − this (rows of the last seconds may still be arriving). */
  settle_seconds?: number;
  /** Metrics and activities: how far behind the previous bound each sync re-reads (late arrivals). */
  overlap_seconds?: number;
  /** Deliveries and their contents: how far behind the previous bound each sync re-reads. */
  delivery_overlap_seconds?: number;
  /** Budget of GET /messages/{id}/archived_message requests per (UTC) day; Customer.io allows 100. */
  archived_messages_per_day: number;
  /** Every this many hours, the fan-out streams read every parent's children again. */
  children_refresh_hours: number;
  /** Full people reads use the exports API from this many people (the workspace's cached count). */
  people_export_threshold: number;
  /** Attribute columns of the people export (cio_id, id, email always come). */
  people_export_attributes: string[];
  /** Testing only: replaces the region's base URL. */
  api_url?: string;
  /** The reporting-webhook spool (optional): enables subjects and outputs, adds webhook rows to metrics. */
  reporting_webhooks?: WebhookSpoolConfig;
}

export interface WebhookSpoolConfig {
  spool: SpoolConfig;
  /** Spool objects younger than this are left for the next sync. */
  settle_seconds: number;
  /** How long emitted journeys / outputs / metric pairs are remembered. */
  memory_days: number;
}

/** Fills defaults for configs built in code (the CLI path gets them from the spec through ajv). */
export function withDefaults(c: Partial<CioConfig> & Pick<CioConfig, 'app_api_key' | 'workspace_id' | 'start_date'>): CioConfig {
  return {
    region: 'US', lookback_days: 7, requests_per_second: 10, window_days: 7, settle_seconds: 300, overlap_seconds: 21600, delivery_overlap_seconds: 1800,
    archived_messages_per_day: 90, children_refresh_hours: 24, people_export_threshold: 50_000, people_export_attributes: ['created_at'], ...c,
  };
}

/** start_date as epoch seconds. */
export function startDateSeconds(c: Pick<CioConfig, 'start_date'>): number {
  const ms = Date.parse(c.start_date);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : 0;
}
