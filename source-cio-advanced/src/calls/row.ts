// Pure transform: a spooled call → a row with Customer.io's advanced-feed columns.
import type { CallType, SpooledCall } from './call.js';
import { callTimes } from './time.js';
import type { CollectorMeta } from './validate.js';

/** Slug of an event name: lower case, runs of non-alphanumerics → `_`, trimmed. */
export function slugify(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}
function obj(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : null;
}

export function callToRow(call: SpooledCall): Record<string, unknown> {
  const meta = (obj(call._collector) ?? {}) as CollectorMeta;
  const times = callTimes(call, meta.batchSentAt);
  const row: Record<string, unknown> = {
    id: call.messageId,
    received_at: times.received_at ?? call.receivedAt,
    sent_at: times.sent_at,
    timestamp: times.timestamp,
    original_timestamp: times.original_timestamp,
    anonymous_id: str(call.anonymousId),
    user_id: str(call.userId),
  };
  Object.assign(row, specific(call.type, call));
  row.context = obj(call.context);
  row.integrations = obj(call.integrations);
  row.channel = str(call.channel);
  row.metadata = obj(call._metadata);
  row.source = typeof meta.source === 'string' ? meta.source : null;
  row.validation_error = typeof meta.invalid === 'string' ? meta.invalid : null;
  return row;
}

function specific(type: CallType, call: SpooledCall): Record<string, unknown> {
  switch (type) {
    case 'identify': return { traits: obj(call.traits) };
    case 'track': {
      const event = str(call.event);
      return { event: event === null ? null : slugify(event), event_text: event, properties: obj(call.properties), group_id: str(call.groupId) };
    }
    case 'page':
    case 'screen': return { name: str(call.name), category: str(call.category), properties: obj(call.properties) };
    case 'group': {
      const traits = obj(call.traits);
      // Customer.io's group spec: the object type is `traits.objectTypeId` (type ids start at 1).
      return { group_id: str(call.groupId), object_type_id: str(traits?.objectTypeId) ?? '1', traits };
    }
    case 'alias': return { previous_id: str(call.previousId) };
  }
}
