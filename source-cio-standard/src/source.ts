// The source: spec, check (./check.ts: one request, 10 s deadline), and the stream list sharing one client and rate limiter.
import { fetchTransport, loadJson, type BackoffPolicy, systemClock, type Clock, type ConnectorContext, type ConnectorSpecification, type HttpTransport, type Logger, type RateLimiter, type Source } from '@cio-dw/common';
import { CioClient, type CioClientOptions } from './client/cio-client.js';
import { CircuitBreaker } from './client/circuit-breaker.js';
import { CHECK_DEADLINE_MS, runCheck } from './check.js';
import { CioApi } from './client/endpoints.js';
import { DEFAULT_CACHE_BYTES, MessageWindowCache } from './client/message-windows.js';
import type { CioConfig } from './config.js';
import { attributesStream } from './streams/attributes.js';
import { broadcastActionsStream } from './streams/broadcast-actions.js';
import { broadcastsStream } from './streams/broadcasts.js';
import { campaignActionsStream } from './streams/campaign-actions.js';
import { campaignsStream } from './streams/campaigns.js';
import { deliveriesStream } from './streams/deliveries.js';
import { deliveryContentsStream } from './streams/delivery-contents.js';
import { metricsStream } from './streams/metrics.js';
import { newsletterContentsStream } from './streams/newsletter-contents.js';
import { newslettersStream } from './streams/newsletters.js';
import { peopleStream } from './streams/people.js';
import { configurePeopleSnapshot } from './streams/people-snapshot.js';
import { SharedPeopleSnapshot } from './streams/shared-people-snapshot.js';
import { fetchDownloader, type Downloader } from './client/download.js';
import { segmentsStream } from './streams/segments.js';
import { subjectsStream } from './streams/subjects.js';
import { outputsStream } from './streams/outputs.js';
import type { CioStream, StreamDeps } from './streams/stream-kit.js';

export const spec = loadJson<ConnectorSpecification>(new URL('../resources/', import.meta.url), 'spec.json');

export interface SourceDeps {
  transport?: HttpTransport;
  /** Timing clock for rate limiting and backoff (real time unless a test says otherwise). */
  clock?: Clock;
  /** "Now" of the data in epoch ms (default: the timing clock); tests pass the simulator's clock. */
  now?: () => number;
  /** A limiter to share (tests use a faster one; the default follows requests_per_second). */
  limiter?: RateLimiter;
  /** Requests kept in flight by fan-outs (default 10). */
  concurrency?: number;
  /** Backoff without Retry-After (tests shorten it). */
  backoff?: Partial<BackoffPolicy>;
  /** Sliding window of the default rate limiter, ms. */
  rateWindowMs?: number;
  /** Memory bound of the sync's shared /messages reads (default 128 MB; 0 re-reads for every stream). */
  messageCacheBytes?: number;
  /** Memory bound of the sync's shared first-sync people snapshot (default 128 MB; 0: each stream reads its own). */
  snapshotCacheBytes?: number;
  /** Called with each client made, e.g. to read its request stats. */
  onClient?: (client: CioClient) => void;
  /** The read's circuit breaker: no answer for this long fails the sync (default 4 min; tests shorten it). */
  deadAfterMs?: number;
  /** `check`'s deadline (default 10 s). */
  checkDeadlineMs?: number;
  /** Streams export files (default: fetch). */
  downloader?: Downloader;
  /** First delay between polls of a people export (default 1 s, doubling). */
  exportPollMs?: number;
}

export function createSource(deps: SourceDeps = {}): Source<CioConfig> {
  const transport = deps.transport ?? fetchTransport();
  const makeClient = (config: CioConfig, logger: Logger, clock: Clock, extra: Partial<CioClientOptions> = {}): CioClient => {
    const client = new CioClient({ config, transport, clock: deps.clock ?? clock ?? systemClock, logger, ...(deps.limiter ? { limiter: deps.limiter } : {}),
      ...(deps.backoff ? { backoff: deps.backoff } : {}), ...(deps.rateWindowMs ? { rateWindowMs: deps.rateWindowMs } : {}), ...extra });
    deps.onClient?.(client);
    return client;
  };
  return {
    spec,
    async check(config: CioConfig, ctx: ConnectorContext) {
      const deadlineMs = deps.checkDeadlineMs ?? CHECK_DEADLINE_MS;
      const abort = new AbortController();
      // One attempt per probe, bounded by the deadline; failures are answers (FAILED), never a TRACE.
      const client = makeClient(config, ctx.logger, ctx.clock, { maxRetries: 0, maxRateLimitedRetries: 0, timeoutMs: deadlineMs, signal: abort.signal });
      return runCheck(config, client, abort, deadlineMs);
    },
    streams(config: CioConfig, ctx: ConnectorContext): CioStream<any>[] {
      const clock = deps.clock ?? ctx.clock;
      const now = deps.now ?? (() => clock.now());
      const breaker = new CircuitBreaker({ clock: deps.clock ?? clock, ...(deps.deadAfterMs !== undefined ? { deadAfterMs: deps.deadAfterMs } : {}) });
      const api = new CioApi(makeClient(config, ctx.logger, clock, { breaker }));
      configurePeopleSnapshot(api, {
        workspaceId: config.workspace_id, exportThreshold: config.people_export_threshold ?? 50_000, attributes: config.people_export_attributes ?? ['created_at'],
        downloader: deps.downloader ?? fetchDownloader(), clock, ...(deps.exportPollMs !== undefined ? { pollMs: deps.exportPollMs } : {}),
        log: (m) => ctx.logger.info(m),
      });
      const nowS = () => Math.floor(now() / 1000);
      let messagesNow: number | undefined;
      const sd: StreamDeps = {
        api, nowS,
        concurrency: deps.concurrency ?? 10,
        // One /messages read per window serves deliveries, metrics and delivery_contents in this sync.
        messages: new MessageWindowCache(api, nowS, deps.messageCacheBytes ?? DEFAULT_CACHE_BYTES),
        messagesNowS: () => (messagesNow ??= nowS()),
        peopleSnapshot: new SharedPeopleSnapshot(api, deps.concurrency ?? 10, deps.snapshotCacheBytes ?? DEFAULT_CACHE_BYTES),
      };
      return [
        campaignsStream(sd), campaignActionsStream(sd), broadcastsStream(sd), broadcastActionsStream(sd),
        newslettersStream(sd), newsletterContentsStream(sd), segmentsStream(sd),
        deliveriesStream(sd), metricsStream(sd), deliveryContentsStream(sd), peopleStream(sd), attributesStream(sd),
        // Journeys exist only in reporting webhooks: offered when the webhook spool is configured.
        ...(config.reporting_webhooks ? [subjectsStream(), outputsStream()] : []),
      ];
    },
  };
}
