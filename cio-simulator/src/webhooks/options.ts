// Configuration of a reporting-webhook sender (control.sendWebhooks / startSimulator({webhooks})).

export type WebhookFault = 'bad_signature' | 'missing_signature' | 'missing_timestamp' | 'stale_timestamp';

export interface WebhookSenderOptions {
  /** Where to POST (one JSON event per request). */
  url: string;
  /** The webhook signing key (X-CIO-Signature = hex HMAC-SHA256 of `v0:<ts>:<body>` with it). */
  signingKey: string;
  /** Simulator time (epoch s): events with timestamp > since are sent. Default: the clock's now when configured. */
  since?: number;
  /** Send in the background whenever the clock advances or a delivery/metric is added (default true); else only on flush(). */
  auto?: boolean;
  /** Requests in flight at once: a burst of N concurrent POSTs (default 1, i.e. in order). */
  concurrency?: number;
  /** Per-request timeout (default 4000 ms, as Customer.io). */
  timeoutMs?: number;
  /** Re-POSTs of the same event (same event_id and body, freshly and correctly signed) after a non-2xx, timeout or network error (default 0). */
  retries?: number;
  retryDelayMs?: number;
  /** Share (0…1) of events whose first POST is signed with a wrong key. Chosen deterministically from the event id. */
  badSignature?: number;
  /** Share of events whose first POST has no X-CIO-Signature header. */
  missingSignature?: number;
  /** Share of events whose first POST has no X-CIO-Timestamp header. */
  missingTimestamp?: number;
  /** Share of events whose first POST carries a timestamp `staleBySeconds` in the past (correctly signed with it). */
  staleTimestamp?: number;
  staleBySeconds?: number;
  /** Share of events POSTed twice (same event_id, same body; the second correctly signed). */
  duplicate?: number;
  /** Source of X-CIO-Timestamp in epoch seconds (default: wall clock; the receiver checks it against its own clock). */
  now?: () => number;
}

export interface SentRequest {
  /** Request number in this sender (1, 2, …). */
  seq: number;
  event_id: string;
  metric: string;
  delivery_id: string | null;
  /** 0 for the first POST of an event, 1… for retries. */
  attempt: number;
  /** True for the extra copy sent by the `duplicate` knob. */
  duplicate: boolean;
  fault: WebhookFault | null;
  /** X-CIO-Timestamp sent (null when missing). */
  timestamp_header: string | null;
  status: number | 'timeout' | 'error';
  error?: string;
}

export interface FlushReport { events: number; requests: number; ok: number; failed: number }
