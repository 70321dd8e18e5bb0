// Campaigns (with actions), broadcasts, newsletters (with contents) and segments. These are small,
// so they are generated eagerly and edited in place by the control API.
import { Rand, hash, STREAM } from '../rng.js';
import type { Sizes } from '../options.js';

export type MessageType = 'email' | 'push' | 'twilio' | 'webhook' | 'in_app';

export interface Action {
  id: number;
  campaign_id: number | null;
  broadcast_id: number | null;
  parent_action_id: number | null;
  deduplicate_id: string;
  name: string;
  layout: string;
  created: number;
  updated: number;
  body: string;
  body_amp: string | null;
  body_plain: string | null;
  type: MessageType;
  sending_state: 'automatic' | 'draft' | 'off';
  language: string;
  from: string | null;
  from_id: number | null;
  reply_to: string | null;
  reply_to_id: number | null;
  preprocessor: string;
  recipient: string;
  subject: string | null;
  bcc: string | null;
  fake_bcc: boolean;
  preheader_text: string | null;
  headers: string;
  url: string | null;
  request_method: string | null;
  editor: string | null;
  sender_identity_id: number | null;
}

export interface Campaign {
  id: number; deduplicate_id: string; name: string; description: string;
  created: number; updated: number; active: boolean; state: string;
  actions: Action[]; first_started: number; tags: string[];
  trigger_segment_ids: number[]; filter_segment_ids: number[];
  type: string; created_by: string; event_name: string | null; frequency: string;
  msg_templates: Array<{ id: number; type: MessageType }>;
  timezone: string; use_customer_timezone: boolean; start_hour: number; start_minutes: number;
  webhook_id: number | null; deleted: boolean;
}
export interface Broadcast {
  id: number; deduplicate_id: string; created: number; updated: number; type: 'triggered_broadcast';
  name: string; active: boolean; state: string; actions: Action[]; tags: string[];
  first_started: number; created_by: string; deleted: boolean;
}
export interface NewsletterContent {
  id: number; newsletter_id: number; name: string; from: string; from_id: number; reply_to: string | null;
  language: string; type: 'email'; subject: string; body: string; body_plain: string; preheader_text: string;
  created: number; updated: number;
}
export interface Newsletter {
  id: number; deduplicate_id: string; type: 'email'; content_ids: number[]; name: string; sent_at: number;
  created: number; updated: number; recipient_segment_ids: number[]; tags: string[];
  subscription_topic_id: number | null; contents: NewsletterContent[]; deleted: boolean;
}
export interface Segment {
  id: number; deduplicate_id: string; name: string; description: string; state: string; progress: number | null;
  type: 'dynamic' | 'manual'; tags: string[]; created_at: number; updated_at: number;
  /** Share of people in the segment (membership is hash(seed, segment, person) < fraction). */
  fraction: number; deleted: boolean;
}
/** Something that sends deliveries: one action of a campaign/broadcast, a newsletter content, or a transactional message. */
export interface Sender {
  kind: 'campaign' | 'broadcast' | 'newsletter' | 'transactional';
  campaign_id: number | null; broadcast_id: number | null; newsletter_id: number | null;
  action_id: number | null; content_id: number | null; transactional_message_id: number | null;
  type: MessageType; subject: string | null; msg_template_id: number | null;
}
export interface Catalog {
  segments: Segment[]; campaigns: Campaign[]; broadcasts: Broadcast[]; newsletters: Newsletter[];
  senders: { campaign: Sender[]; broadcast: Sender[]; newsletter: Sender[]; transactional: Sender[] };
}

const TYPES: MessageType[] = ['email', 'email', 'email', 'email', 'email', 'email', 'email', 'push', 'twilio', 'webhook', 'in_app'];
const WORDS = ['Welcome', 'Onboarding', 'Trial', 'Renewal', 'Winback', 'Digest', 'Product', 'Billing', 'Launch', 'Survey'];
const TAGS = ['welcome', 'lifecycle', 'billing', 'product', 'marketing', 'ops'];

function tagsOf(r: Rand): string[] {
  const n = r.int(3);
  const out = new Set<string>();
  for (let i = 0; i < n; i++) out.add(r.pick(TAGS));
  return [...out];
}

function makeAction(r: Rand, id: number, owner: { campaign_id?: number; broadcast_id?: number }, created: number, type: MessageType, name: string): Action {
  const email = type === 'email';
  const updated = created + r.int(86400 * 20);
  const subject = email ? `${name}: ${r.pick(WORDS).toLowerCase()} news for {{customer.first_name}}` : null;
  return {
    id, campaign_id: owner.campaign_id ?? null, broadcast_id: owner.broadcast_id ?? null, parent_action_id: null,
    deduplicate_id: `${id}:${updated}`, name: `${name} ${type} ${id}`, layout: email ? '{{content}}' : '',
    created, updated,
    body: type === 'webhook' ? '{"customer":"{{customer.id}}"}' : `<p>Hello {{customer.first_name}}, this is ${name}.</p>`,
    body_amp: null, body_plain: email ? `Hello, this is ${name}.` : null, type,
    sending_state: r.chance(0.9) ? 'automatic' : 'draft', language: '',
    from: email ? 'Team <team@example.com>' : null, from_id: email ? 1 : null,
    reply_to: null, reply_to_id: null, preprocessor: 'premailer', recipient: email ? '{{customer.email}}' : '{{customer.id}}',
    subject, bcc: null, fake_bcc: false, preheader_text: email ? 'A short preview' : null,
    headers: '[]', url: type === 'webhook' ? 'https://hooks.example.com/cio' : null,
    request_method: type === 'webhook' ? 'POST' : null, editor: email ? 'rich' : null,
    sender_identity_id: email ? 1 : null,
  };
}

function senderOf(kind: Sender['kind'], a: { type: MessageType; subject: string | null }, ids: Partial<Sender>): Sender {
  return {
    kind, campaign_id: null, broadcast_id: null, newsletter_id: null, action_id: null, content_id: null,
    transactional_message_id: null, type: a.type, subject: a.subject, msg_template_id: null, ...ids,
  };
}

export function generateCatalog(seed: number, sizes: Sizes, genNow: number): Catalog {
  const spanStart = genNow - sizes.spanDays * 86400;
  const before = (r: Rand): number => spanStart - 86400 * (1 + r.int(200));
  const segments: Segment[] = [];
  for (let i = 1; i <= sizes.segments; i++) {
    const r = new Rand(hash(seed, STREAM.segment, i));
    const created_at = before(r);
    const updated_at = created_at + r.int(86400 * 30);
    segments.push({
      id: i, deduplicate_id: `${i}:${updated_at}`, name: `${r.pick(WORDS)} segment ${i}`, description: `Generated segment ${i}`,
      state: 'finished', progress: null, type: r.chance(0.8) ? 'dynamic' : 'manual', tags: tagsOf(r),
      created_at, updated_at, fraction: i === sizes.segments && i > 1 ? 0 : 0.05 + r.next() * 0.6, deleted: false,
    });
  }
  let actionId = 100;
  const senders: Catalog['senders'] = { campaign: [], broadcast: [], newsletter: [], transactional: [] };
  const campaigns: Campaign[] = [];
  for (let i = 1; i <= sizes.campaigns; i++) {
    const r = new Rand(hash(seed, STREAM.campaign, i));
    const created = before(r);
    const updated = created + r.int(86400 * 60);
    const name = `${r.pick(WORDS)} campaign ${i}`;
    const n = i === 1 ? sizes.maxActionsPerCampaign : r.range(1, Math.max(1, sizes.maxActionsPerCampaign));
    const actions: Action[] = [];
    for (let k = 0; k < n; k++) actions.push(makeAction(r, actionId++, { campaign_id: i }, created, r.pick(TYPES), name));
    for (const a of actions) senders.campaign.push(senderOf('campaign', a, { campaign_id: i, action_id: a.id, msg_template_id: a.id + 1000 }));
    const segIds = segments.map((s) => s.id);
    campaigns.push({
      id: i, deduplicate_id: `${i}:${updated}`, name, description: r.chance(0.5) ? `Sends ${name.toLowerCase()}` : '',
      created, updated, active: r.chance(0.85), state: r.chance(0.85) ? 'running' : 'stopped', actions,
      first_started: created + 3600, tags: tagsOf(r),
      trigger_segment_ids: segIds.length && r.chance(0.5) ? [r.pick(segIds)] : [],
      filter_segment_ids: segIds.length && r.chance(0.3) ? [r.pick(segIds)] : [],
      type: r.pick(['segment', 'event', 'date']), created_by: 'builder@example.com',
      event_name: r.chance(0.3) ? 'signed_up' : null, frequency: 'once',
      msg_templates: actions.map((a) => ({ id: a.id + 1000, type: a.type })),
      timezone: 'UTC', use_customer_timezone: false, start_hour: 9, start_minutes: 0, webhook_id: null, deleted: false,
    });
  }
  const broadcasts: Broadcast[] = [];
  for (let i = 1; i <= sizes.broadcasts; i++) {
    const r = new Rand(hash(seed, STREAM.broadcast, i));
    const created = before(r);
    const updated = created + r.int(86400 * 10);
    const name = `${r.pick(WORDS)} broadcast ${i}`;
    const actions: Action[] = [];
    const n = r.range(1, 3);
    for (let k = 0; k < n; k++) actions.push(makeAction(r, actionId++, { broadcast_id: i }, created, r.chance(0.8) ? 'email' : 'push', name));
    for (const a of actions) senders.broadcast.push(senderOf('broadcast', a, { broadcast_id: i, action_id: a.id }));
    broadcasts.push({
      id: i, deduplicate_id: `${i}:${updated}`, created, updated, type: 'triggered_broadcast', name,
      active: true, state: 'running', actions, tags: tagsOf(r), first_started: created, created_by: 'api', deleted: false,
    });
  }
  const newsletters: Newsletter[] = [];
  let contentId = 1;
  for (let i = 1; i <= sizes.newsletters; i++) {
    const r = new Rand(hash(seed, STREAM.newsletter, i));
    const created = before(r);
    const name = `${r.pick(WORDS)} newsletter ${i}`;
    const contents: NewsletterContent[] = [];
    const n = r.range(1, 3);
    for (let k = 0; k < n; k++) {
      const subject = `${name} (variant ${String.fromCharCode(65 + k)})`;
      contents.push({
        id: contentId++, newsletter_id: i, name: `Variant ${String.fromCharCode(65 + k)}`, from: 'News <news@example.com>', from_id: 2,
        reply_to: null, language: '', type: 'email', subject, body: `<h1>${subject}</h1>`, body_plain: subject,
        preheader_text: 'This week', created, updated: created + 600,
      });
    }
    for (const c of contents) senders.newsletter.push(senderOf('newsletter', { type: 'email', subject: c.subject }, { newsletter_id: i, content_id: c.id }));
    newsletters.push({
      id: i, deduplicate_id: `${i}:${created + 600}`, type: 'email', content_ids: contents.map((c) => c.id), name,
      sent_at: created + 600, created, updated: created + 600,
      recipient_segment_ids: segments.length && r.chance(0.7) ? [r.pick(segments).id] : [],
      tags: tagsOf(r), subscription_topic_id: r.chance(0.5) ? r.range(1, 3) : null, contents, deleted: false,
    });
  }
  for (let t = 1; t <= 3; t++) senders.transactional.push(senderOf('transactional', { type: 'email', subject: `Receipt ${t}` }, { transactional_message_id: t }));
  return { segments, campaigns, broadcasts, newsletters, senders };
}
