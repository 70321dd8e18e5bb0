// Wire views of the workspace records, with the configured live-API quirks applied.
import type { Quirks } from '../options.js';
import type { Workspace } from '../workspace.js';
import type { Action, Broadcast, Campaign, Newsletter, NewsletterContent, Segment } from '../generator/catalog.js';
import type { Delivery } from '../generator/deliveries.js';
import type { Activity } from '../generator/activities.js';
import { emailOf, type Person } from '../generator/people.js';

type Json = Record<string, unknown>;

export class Serializer {
  constructor(private readonly ws: Workspace, private readonly q: Quirks) {}

  list<T>(items: T[]): T[] | null { return this.q.nullForEmptyLists && items.length === 0 ? null : items; }
  extra(o: Json, kind: string): Json {
    if (this.q.extraFields) { o['sim_new_field'] = `${kind}-v2`; o['_meta'] = { source: 'cio-simulator' }; }
    return o;
  }
  actionId(id: number): number | string { return this.q.actionIdAsString && id % 3 === 0 ? String(id) : id; }

  identifiers(p: Person): { id: string | null; email: string | null; cio_id: string } {
    return { id: p.id, email: p.email, cio_id: p.cio_id };
  }

  campaign(c: Campaign): Json {
    const { deleted: _d, actions, tags, trigger_segment_ids, filter_segment_ids, ...rest } = c;
    return this.extra({
      ...rest, actions: actions.map((a) => ({ id: this.actionId(a.id), type: a.type })),
      tags: this.list(tags), trigger_segment_ids: this.list(trigger_segment_ids), filter_segment_ids: this.list(filter_segment_ids),
    }, 'campaign');
  }
  broadcast(b: Broadcast): Json {
    const { deleted: _d, actions, tags, ...rest } = b;
    return this.extra({ ...rest, actions: actions.map((a) => ({ id: this.actionId(a.id), type: a.type })), tags: this.list(tags) }, 'broadcast');
  }
  action(a: Action): Json {
    const o: Json = { ...a, id: this.actionId(a.id) };
    if (a.broadcast_id === null) delete o['broadcast_id']; else delete o['campaign_id'];
    return this.extra(o, 'action');
  }
  newsletter(n: Newsletter): Json {
    const { deleted: _d, contents: _c, tags, recipient_segment_ids, ...rest } = n;
    return this.extra({ ...rest, tags: this.list(tags), recipient_segment_ids: this.list(recipient_segment_ids) }, 'newsletter');
  }
  /**
   * A newsletter variant as `GET /newsletters/{id}/contents` sends it: no `created`/`updated` (Customer.io's
   * OpenAPI, journeys-app.json listNewsletterVariants / content.aon, has none), only `deduplicate_id`
   * = "id:timestamp of the last update" (the APP-spec's description of deduplicate_id).
   */
  content(c: NewsletterContent): Json {
    const { created: _c, updated, ...rest } = c;
    return this.extra({ ...rest, deduplicate_id: `${c.id}:${updated}` }, 'content');
  }
  segment(s: Segment): Json {
    const { deleted: _d, fraction: _f, tags, ...rest } = s;
    return this.extra({ ...rest, tags: this.list(tags) }, 'segment');
  }

  message(d: Delivery, trackedResponses = false): Json {
    const p = this.ws.person(d.personIndex);
    const metrics = this.ws.metricsAt(d);
    const last = Math.max(d.created, ...Object.values(metrics));
    const s = d.sender;
    const o: Json = {
      id: d.id, deduplicate_id: `${d.id}:${last}`, created: d.created, type: s.type,
      recipient: this.recipient(d, p), subject: s.subject,
      customer_id: p.id, customer_identifiers: this.identifiers(p),
      campaign_id: s.campaign_id, broadcast_id: s.broadcast_id, newsletter_id: s.newsletter_id,
      action_id: s.action_id, parent_action_id: null, content_id: s.content_id,
      trigger_event_id: d.trigger_event_id, transactional_message_id: s.transactional_message_id,
      msg_template_id: s.msg_template_id, failure_message: d.failure_message, forgotten: d.forgotten, metrics,
    };
    if (trackedResponses && s.type === 'in_app') o['tracked_responses'] = metrics['clicked'] ? { 'how-satisfied': { id: 1, ts: metrics['clicked'] } } : {};
    return this.extra(o, 'message');
  }
  recipient(d: Delivery, p: Person): string {
    switch (d.sender.type) {
      case 'email': return emailOf(this.ws.seed, d.personIndex);
      case 'push': return p.devices[0]?.id ?? `dev-${d.personIndex.toString(36)}`;
      case 'twilio': return `+1555${String(d.personIndex).padStart(7, '0')}`;
      case 'webhook': return 'https://hooks.example.com/cio';
      default: return p.cio_id;
    }
  }
  /**
   * `GET /messages/{id}/archived_message` as documented (docs.customer.io/integrations/api/app/tag/messages/
   * getArchivedMessage/): id, body, from, reply_to, recipient, subject, cc, bcc, fake_bcc, preheader_text,
   * url, request_method, headers (a JSON string of [{name, value}]) and forgotten. There is no `type`,
   * `body_plain`, `body_amp` or `delivery_id`.
   */
  archived(d: Delivery): Json {
    const p = this.ws.person(d.personIndex);
    const s = d.sender;
    const email = s.type === 'email';
    const webhook = s.type === 'webhook';
    const first = p.attributes['first_name'] ?? 'there';
    return this.extra({
      id: d.id,
      body: webhook ? JSON.stringify({ customer: p.id }) : `<p>Hello ${first}.</p>`,
      from: email ? 'Team <team@example.com>' : null, reply_to: null,
      recipient: this.recipient(d, p),
      subject: s.subject?.replace('{{customer.first_name}}', first) ?? null,
      cc: null, bcc: null, fake_bcc: false,
      preheader_text: email ? 'A short preview' : null,
      url: webhook ? 'https://hooks.example.com/cio' : null,
      request_method: webhook ? 'POST' : null,
      headers: webhook ? JSON.stringify([{ name: 'Content-Type', value: 'application/json' }]) : null,
      forgotten: d.forgotten,
    }, 'archived_message');
  }

  activity(a: Activity): Json {
    const p = this.ws.person(a.personIndex);
    const o: Json = {
      id: a.id, type: a.type, timestamp: a.timestamp, customer_id: p.id, customer_identifiers: this.identifiers(p),
      data: a.data,
    };
    if (a.name !== null) o['name'] = a.name;
    if (a.url !== null) o['url'] = a.url;
    if (a.delivery_id !== null) { o['delivery_id'] = a.delivery_id; o['delivery_type'] = a.delivery_type; }
    return this.extra(o, 'activity');
  }

  /** The `POST /customers/attributes` item: flat (live API) or `{customer: {...}}` (OpenAPI), see Quirks.flatCustomers. */
  customerItem(p: Person): Json {
    return this.q.flatCustomers ? this.customer(p) : { customer: this.customer(p) };
  }

  customer(p: Person): Json {
    return this.extra({
      attributes: { ...p.attributes }, devices: this.list(p.devices.map((d) => ({ ...d }))), id: p.id,
      identifiers: this.identifiers(p), timestamps: { ...p.timestamps }, unsubscribed: p.unsubscribed,
    }, 'customer');
  }
}
