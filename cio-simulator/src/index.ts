export { startSimulator, type Simulator } from './simulator.js';
export {
  sizesFor, SIZE_PRESETS, ALL_QUIRKS, NO_QUIRKS, DEFAULT_CLOCK_START,
  type SimulatorOptions, type Sizes, type SizePreset, type Quirks, type FaultRule, type RateLimitOptions, type Region,
} from './options.js';
export { Control, type PersonRef, type AddDeliveriesOptions, type CampaignPatch } from './control.js';
export { Truth } from './truth.js';
export type { SimStats } from './server/stats.js';
export type { Person } from './generator/people.js';
export type { Campaign, Action, Broadcast, Newsletter, NewsletterContent, Segment, MessageType } from './generator/catalog.js';
export { RateLimiter } from './server/rate-limit.js';
export { main } from './main.js';
export { WebhookSender } from './webhooks/sender.js';
export type { WebhookSenderOptions, WebhookFault, SentRequest, FlushReport } from './webhooks/options.js';
export { signReporting, reportingEventId, type ReportingWebhookEvent } from './webhooks/payload.js';
export type { JourneyTruth } from './webhooks/journey-truth.js';
export { CHANNEL_METRICS, MAX_EVENT_LAG_S, type ObjectType } from './generator/report-events.js';
export { journeyIdFor } from './generator/journeys.js';
export { REALISM, NO_REALISM, maxVisibilityDelay, type Realism } from './realism.js';
export { Busy, BUSY_DEFAULTS, type BusyOptions, type BusyStats } from './busy.js';
