// Archived message (GET /messages/{id}/archived_message) + its delivery → standard `delivery_contents` row.
// The documented response (docs.customer.io/integrations/api/app/tag/messages/getArchivedMessage/) has
// id, body, from, reply_to, recipient, subject, cc, bcc, fake_bcc, preheader_text, url, request_method,
// headers (a JSON string) and forgotten; it has no `type`, `body_plain` or `body_amp`. So: `preheader` ←
// preheader_text, `method` ← request_method, `headers` as sent, `type` ← the delivery's channel (from
// GET /messages), and `body_plain` / `body_amp` are null: the App API does not return them.
import type { Row } from './delivery.js';
import { toInt, toStr } from './values.js';

export function deliveryContentRow(archived: Record<string, unknown>, delivery: Record<string, unknown>, workspaceId: number): Row {
  const headers = archived['headers'];
  return {
    workspace_id: workspaceId,
    delivery_id: toStr(delivery['id'] ?? archived['id']),
    campaign_id: toInt(delivery['campaign_id']),
    action_id: toInt(delivery['action_id']),
    newsletter_id: toInt(delivery['newsletter_id']),
    content_id: toInt(delivery['content_id']),
    from: toStr(archived['from']),
    reply_to: toStr(archived['reply_to']),
    bcc: toStr(archived['bcc']),
    recipient: toStr(archived['recipient'] ?? delivery['recipient']),
    subject: toStr(archived['subject']),
    body: toStr(archived['body']),
    body_amp: null,
    body_plain: null,
    preheader: toStr(archived['preheader_text']),
    url: toStr(archived['url']),
    method: toStr(archived['request_method']),
    headers: headers === null || headers === undefined || headers === '' ? null : typeof headers === 'string' ? headers : JSON.stringify(headers),
    type: toStr(delivery['type']),
  };
}
