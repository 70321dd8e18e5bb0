// Customer.io reporting webhooks → standard subjects, outputs and metrics rows (pure; see README.md).
export { verifyReportingSignature, reportingSignature, type SignatureCheck, type SignatureFailure } from './signature.js';
export { parseReportingEvent, OBJECT_TYPES, type ReportingEvent, type ObjectType, type ParseResult } from './event.js';
export { subjectRow, newSubjectRows, outputRows, newOutputRows, outputId, OUTPUT_METRICS } from './journey-rows.js';
export { metricRowFromEvent, metricRowsFromEvents, applyMetricEvents, repeatMetricEventId, type MetricOccurrence, type MetricDecision, type MetricDecisionKind } from './metric-rows.js';
export { emptySeenPairs, markApiMetric, pruneSeenPairs, seenPairsToJson, seenPairsFromJson, type SeenPairs, type PairSeen } from './seen-pairs.js';
export { eventsOfLines, readWebhookSpool, type WebhookCursor } from './spool-reader.js';
export { TimedSet } from './timed-set.js';
export { loadMemory, saveMemory, pruneMemory, MEMORY_PREFIX } from './memory.js';
