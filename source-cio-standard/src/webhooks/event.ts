// A reporting-webhook payload `{event_id, object_type, metric, timestamp, data{…}}` (reference §3.4,
// Appendix B) → a typed event, or a specific validation error. Ids may arrive as numeric strings.
import { toInt } from '../transforms/values.js';

export const OBJECT_TYPES = ['email', 'push', 'sms', 'whatsapp', 'slack', 'webhook', 'in_app', 'customer'] as const;
export type ObjectType = typeof OBJECT_TYPES[number];

export interface ReportingEvent {
  eventId: string;
  objectType: ObjectType;
  metric: string;
  timestampS: number;
  customerId: string | null;
  /** identifiers.cio_id: the standard `internal_customer_id`. */
  cioId: string | null;
  email: string | null;
  /** Null only for `customer` (subscription) events. */
  deliveryId: string | null;
  campaignId: number | null;
  broadcastId: number | null;
  actionId: number | null;
  parentActionId: number | null;
  newsletterId: number | null;
  contentId: number | null;
  transactionalMessageId: number | null;
  triggerEventId: string | null;
  triggerId: number | null;
  journeyId: string | null;
  recipient: string | null;
  subject: string | null;
  href: string | null;
  linkId: number | null;
  machine: boolean | null;
  /** failure_message (bounced, failed, dropped, undeliverable). */
  failureMessage: string | null;
}

export type ParseResult = { ok: true; event: ReportingEvent } | { ok: false; error: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Invalid extends Error {}
const bad = (msg: string): never => { throw new Invalid(`cio webhook: ${msg}`); };

function optStr(o: Obj, k: string, where = 'data.'): string | null {
  const v = o[k];
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return bad(`${where}${k} must be a string`);
}
function optInt(o: Obj, k: string): number | null {
  const v = o[k];
  if (v === undefined || v === null || v === '') return null;
  const n = toInt(v);
  return n === null ? bad(`data.${k} must be an integer, got ${JSON.stringify(v).slice(0, 40)}`) : n;
}

/** Accepts the parsed JSON or the raw body text. */
export function parseReportingEvent(json: unknown): ParseResult {
  try {
    let v = json;
    if (typeof json === 'string' || json instanceof Uint8Array) {
      try { v = JSON.parse(typeof json === 'string' ? json : Buffer.from(json).toString('utf8')); } catch { bad('body is not JSON'); }
    }
    if (!isObj(v)) return bad('payload must be a JSON object');
    const eventId = v['event_id'];
    if (typeof eventId !== 'string' || eventId === '') return bad('event_id must be a non-empty string');
    const objectType = v['object_type'];
    if (!(OBJECT_TYPES as readonly unknown[]).includes(objectType)) return bad(`object_type must be one of ${OBJECT_TYPES.join(', ')}, got ${JSON.stringify(objectType)}`);
    const metric = v['metric'];
    if (typeof metric !== 'string' || !/^[a-z][a-z0-9_]*$/.test(metric)) return bad('metric must be a lowercase name such as "opened"');
    const rawTs = v['timestamp'];
    const timestampS = typeof rawTs === 'number' && !Number.isInteger(rawTs) ? null : toInt(rawTs);
    if (timestampS === null || timestampS <= 0) return bad('timestamp must be positive integer seconds');
    const data = v['data'];
    if (!isObj(data)) return bad('data must be an object');
    const ids = data['identifiers'];
    if (ids !== undefined && ids !== null && !isObj(ids)) return bad('data.identifiers must be an object');
    const identifiers: Obj = isObj(ids) ? ids : {};
    const deliveryId = optStr(data, 'delivery_id');
    if (objectType !== 'customer' && !deliveryId) return bad(`data.delivery_id is required for ${String(objectType)} events`);
    const machine = data['machine'];
    if (machine !== undefined && machine !== null && typeof machine !== 'boolean') return bad('data.machine must be a boolean');
    return {
      ok: true,
      event: {
        eventId, objectType: objectType as ObjectType, metric, timestampS,
        customerId: optStr(data, 'customer_id'),
        cioId: optStr(identifiers, 'cio_id', 'data.identifiers.'),
        email: optStr(identifiers, 'email', 'data.identifiers.') ?? optStr(data, 'email_address'),
        deliveryId,
        campaignId: optInt(data, 'campaign_id'), broadcastId: optInt(data, 'broadcast_id'),
        actionId: optInt(data, 'action_id'), parentActionId: optInt(data, 'parent_action_id'),
        newsletterId: optInt(data, 'newsletter_id'), contentId: optInt(data, 'content_id'),
        transactionalMessageId: optInt(data, 'transactional_message_id'),
        triggerEventId: optStr(data, 'trigger_event_id'), triggerId: optInt(data, 'trigger_id'),
        journeyId: optStr(data, 'journey_id'),
        recipient: optStr(data, 'recipient'), subject: optStr(data, 'subject'),
        href: optStr(data, 'href'), linkId: optInt(data, 'link_id'),
        machine: typeof machine === 'boolean' ? machine : null,
        failureMessage: optStr(data, 'failure_message'),
      },
    };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message };
    throw e;
  }
}
