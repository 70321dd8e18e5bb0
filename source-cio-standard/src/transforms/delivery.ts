// App API delivery (GET /messages item) → standard `deliveries` row (reference §1.3, 14 columns + extras).
import { isoFromSeconds, obj, toBool, toInt, toStr } from './values.js';

export type Row = Record<string, unknown>;

export function internalCustomerId(m: Record<string, unknown>): string | null {
  return toStr(obj(m['customer_identifiers'])['cio_id']);
}

export function deliveryRow(m: Record<string, unknown>, workspaceId: number): Row {
  return {
    workspace_id: workspaceId,
    delivery_id: toStr(m['id']),
    internal_customer_id: internalCustomerId(m),
    subject_id: null, // journeys are not exposed by the App API
    event_id: toStr(m['trigger_event_id']),
    delivery_type: toStr(m['type']),
    campaign_id: toInt(m['campaign_id']),
    action_id: toInt(m['action_id']),
    newsletter_id: toInt(m['newsletter_id']),
    content_id: toInt(m['content_id']),
    trigger_id: null,
    created_at: isoFromSeconds(m['created']),
    transactional_message_id: toInt(m['transactional_message_id']),
    seq_num: null,
    // extras (not in Customer.io's file): useful and cheap, since they come with the same response
    customer_id: toStr(m['customer_id']),
    broadcast_id: toInt(m['broadcast_id']),
    parent_action_id: toInt(m['parent_action_id']),
    recipient: toStr(m['recipient']),
    subject: toStr(m['subject']),
    failure_message: toStr(m['failure_message']),
    forgotten: toBool(m['forgotten']),
  };
}
