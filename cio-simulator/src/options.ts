// Public options of the simulator and the size presets.
import type { WebhookSenderOptions } from './webhooks/options.js';
import type { Realism } from './realism.js';
import type { BusyOptions } from './busy-options.js';

export type Region = 'us' | 'eu';
export type SizePreset = 'tiny' | 'small' | 'bench';

export interface Sizes {
  people: number;
  segments: number;
  campaigns: number;
  /** Most actions a campaign can have (each gets 1…this many; campaign 1 always gets this many). */
  maxActionsPerCampaign: number;
  broadcasts: number;
  newsletters: number;
  /** Generated deliveries (messages) spread over `spanDays` before the clock start. */
  deliveries: number;
  /** Generated activities spread over the 35 days before the clock start. */
  activities: number;
  spanDays: number;
}

export const SIZE_PRESETS: Readonly<Record<SizePreset, Readonly<Sizes>>> = {
  tiny: { people: 60, segments: 4, campaigns: 3, maxActionsPerCampaign: 23, broadcasts: 2, newsletters: 7, deliveries: 400, activities: 300, spanDays: 90 },
  small: { people: 1000, segments: 8, campaigns: 10, maxActionsPerCampaign: 25, broadcasts: 3, newsletters: 30, deliveries: 20_000, activities: 5_000, spanDays: 180 },
  bench: { people: 100_000, segments: 20, campaigns: 50, maxActionsPerCampaign: 25, broadcasts: 5, newsletters: 200, deliveries: 1_000_000, activities: 200_000, spanDays: 365 },
};

/** The sizes of a preset with overrides applied. */
export function sizesFor(size: SizePreset = 'tiny', overrides: Partial<Sizes> = {}): Sizes {
  const base = SIZE_PRESETS[size];
  const out = { ...base, ...overrides };
  for (const [k, v] of Object.entries(out)) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`cio-simulator: size ${k} must be a non-negative integer, got ${String(v)}`);
  }
  return out;
}

export interface RateLimitOptions {
  /** Requests allowed per key in any 1-second sliding window (default 10; 0 disables limiting). */
  perSecond: number;
  /** Send `Retry-After: 1` with 429 (default true; false mimics older API versions). */
  retryAfterHeader: boolean;
  /** Millisecond time source for the limiter (default Date.now); inject a manual clock in tests. */
  now?: () => number;
}

export interface Quirks {
  /** Every third action id is a JSON string instead of a number (live API behaviour). */
  actionIdAsString: boolean;
  /** Empty lists come back as `null` instead of `[]` (tags, segment ids, devices, empty pages). */
  nullForEmptyLists: boolean;
  /** Records and envelopes carry extra fields that clients must ignore. */
  extraFields: boolean;
  /** Messages and segment membership sometimes return an empty page that still carries `next`. */
  emptyPages: boolean;
  /**
   * `POST /customers/attributes` items come flat, as the live API sends them (Airbyte's source-customer-io
   * unit tests); off, they are wrapped as `{customer: {...}}` as Customer.io's OpenAPI (journeys-app.json,
   * getPeopleById / customer.aon) documents them.
   */
  flatCustomers: boolean;
}
export const ALL_QUIRKS: Readonly<Quirks> = { actionIdAsString: true, nullForEmptyLists: true, extraFields: true, emptyPages: true, flatCustomers: true };
export const NO_QUIRKS: Readonly<Quirks> = { actionIdAsString: false, nullForEmptyLists: false, extraFields: false, emptyPages: false, flatCustomers: false };

/**
 * One injected fault rule. Matching requests (by `path`, tested against the path after the host,
 * e.g. `/v1/messages`) are counted; after `skip` of them pass, the next `count` are affected.
 */
export interface FaultRule {
  /** `truncate`: a 200 whose JSON body is cut in half (a proxy or connection that ends a body early). */
  kind: 'status' | 'drop' | 'slow' | 'truncate';
  /** For `status`: 500, 502 or 503 (any 4xx/5xx works). */
  status?: number;
  /** For `slow`: extra milliseconds before the response. */
  delayMs?: number;
  /** Substring or RegExp of the request path; default: every path. */
  path?: string | RegExp;
  skip?: number;
  /** How many matching requests to affect (default 1; Infinity for all). */
  count?: number;
}

export interface SimulatorOptions {
  seed?: number;
  size?: SizePreset;
  people?: number;
  segments?: number;
  campaigns?: number;
  maxActionsPerCampaign?: number;
  broadcasts?: number;
  newsletters?: number;
  deliveries?: number;
  activities?: number;
  spanDays?: number;
  /** App API key (default derived from the seed). */
  apiKey?: string;
  /** Region the workspace lives in (default 'us'); the other listener answers 401. */
  region?: Region;
  rateLimit?: Partial<RateLimitOptions>;
  faults?: FaultRule[];
  /** `true`/undefined: all quirks; `false`: none; or pick individually (missing ones default to true). */
  quirks?: boolean | Partial<Quirks>;
  host?: string;
  /** US listener port (0 = any free port). */
  port?: number;
  /** EU listener port (default 0 = any free port). */
  euPort?: number;
  /** Simulator clock start: epoch seconds, ISO string or Date (default 2026-11-01T00:00:00Z). */
  clockStart?: number | string | Date;
  /**
   * Daily quota of `GET /messages/{id}/archived_message` (default 100; 0: unlimited). "This endpoint is
   * limited to 100 requests per day" (docs.customer.io/integrations/api/app/tag/messages/getArchivedMessage/).
   */
  archivedMessagesPerDay?: number;
  /** GETs of a new export that still answer `pending` before it is `done` (default 2). */
  exportPendingPolls?: number;
  /** Start a reporting-webhook sender right away (same as `control.sendWebhooks(webhooks)`). */
  webhooks?: WebhookSenderOptions;
  /** Visibility delays and listing order like the real App API (realism.ts): default on; `false` turns them off. */
  realism?: boolean | Partial<Realism>;
  /** Busy mode (busy.ts): the clock follows real time and data keeps arriving during syncs. Default off. */
  busy?: boolean | Partial<BusyOptions>;
}

export const DEFAULT_CLOCK_START = 1793491200; // 2026-11-01T00:00:00Z

export function toEpochSeconds(v: number | string | Date | undefined): number {
  if (v === undefined) return DEFAULT_CLOCK_START;
  if (typeof v === 'number') return Math.floor(v);
  const ms = v instanceof Date ? v.getTime() : Date.parse(v);
  if (!Number.isFinite(ms)) throw new Error(`cio-simulator: clockStart ${String(v)} is not a valid time`);
  return Math.floor(ms / 1000);
}

export function resolveQuirks(q: SimulatorOptions['quirks']): Quirks {
  if (q === false) return { ...NO_QUIRKS };
  if (q === true || q === undefined) return { ...ALL_QUIRKS };
  return { ...ALL_QUIRKS, ...q };
}
