// Pure transform: a spooled call → a row with Customer.io's advanced-feed columns.
import type { CallType, SpooledCall } from './call.js';

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
function time(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export function callToRow(call: SpooledCall): Record<string, unknown> {
  const row: Record<string, unknown> = {
    id: call.messageId,
    received_at: time(call.receivedAt) ?? call.receivedAt,
    sent_at: time(call.sentAt),
    timestamp: time(call.timestamp),
    original_timestamp: time(call.originalTimestamp),
    anonymous_id: str(call.anonymousId),
    user_id: str(call.userId),
  };
  Object.assign(row, specific(call.type, call));
  row.context = obj(call.context);
  row.integrations = obj(call.integrations);
  row.channel = str(call.channel);
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
    case 'screen': return { name: str(call.name), properties: obj(call.properties) };
    case 'group': {
      const traits = obj(call.traits);
      return { group_id: str(call.groupId), object_type_id: str(traits?.object_type_id ?? call.objectTypeId) ?? '1', traits };
    }
    case 'alias': return { previous_id: str(call.previousId) };
  }
}
