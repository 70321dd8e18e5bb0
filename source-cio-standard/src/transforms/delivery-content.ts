// Archived message (GET /messages/{id}/archived_message) + its delivery → standard `delivery_contents` row.
import type { Row } from './delivery.js';
import { obj, toInt, toStr } from './values.js';

export function deliveryContentRow(archived: Record<string, unknown>, delivery: Record<string, unknown>, workspaceId: number): Row {
  const headers = archived['headers'];
  return {
    workspace_id: workspaceId,
    delivery_id: toStr(delivery['id'] ?? archived['delivery_id']),
    campaign_id: toInt(delivery['campaign_id']),
    action_id: toInt(delivery['action_id']),
    newsletter_id: toInt(delivery['newsletter_id']),
    content_id: toInt(delivery['content_id']),
    from: toStr(archived['from']),
    reply_to: toStr(archived['reply_to']),
    bcc: toStr(archived['bcc']),
    recipient: toStr(archived['recipient'] ?? archived['to'] ?? delivery['recipient']),
    subject: toStr(archived['subject']),
    body: toStr(archived['body']),
    body_amp: toStr(archived['body_amp']),
    body_plain: toStr(archived['body_plain']),
    preheader: toStr(archived['preheader'] ?? archived['preheader_text']),
    url: toStr(archived['url']),
    method: toStr(archived['method'] ?? archived['request_method']),
    headers: headers === null || headers === undefined ? null
      : typeof headers === 'string' ? headers : Object.keys(obj(headers)).length === 0 && !Array.isArray(headers) ? null : JSON.stringify(headers),
    type: toStr(archived['type'] ?? delivery['type']),
  };
}
