// Customer.io reporting webhooks → standard subjects, outputs and metrics rows (pure; see README.md).
export { verifyReportingSignature, reportingSignature, type SignatureCheck, type SignatureFailure } from './signature.js';
export { parseReportingEvent, OBJECT_TYPES, type ReportingEvent, type ObjectType, type ParseResult } from './event.js';
export { subjectRow, newSubjectRows, outputRows, newOutputRows, outputId, OUTPUT_METRICS } from './journey-rows.js';
export { metricRowFromEvent, metricRowsFromEvents, repeatMetricEventId, type MetricOccurrence, type MetricDecision, type MetricDecisionKind } from './metric-rows.js';
export { emptySeenPairs, markApiMetric, pruneSeenPairs, seenPairsToJson, seenPairsFromJson, type SeenPairs, type PairSeen } from './seen-pairs.js';
