// Journeys (Customer.io "subjects"): a person's run through a campaign. Ground truth is defined here:
// every campaign delivery belongs to the journey (campaign, person, trigger_event_id); deliveries of the
// same campaign to the same person without a trigger event share one journey. Broadcast, newsletter
// and transactional deliveries have no journey.
import { hash, STREAM } from '../rng.js';
import type { Delivery } from './deliveries.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** FNV-1a of a string (for hashing trigger event ids into the journey key). */
export function strHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}

/** The journey id of (campaign, person, trigger): 26 Crockford base32 characters, stable for a seed. */
export function journeyIdFor(seed: number, campaignId: number, personIndex: number, triggerEventId: string | null): string {
  const t = triggerEventId === null ? 0 : strHash(triggerEventId);
  let out = '';
  for (let i = 0; i < 26; i++) out += CROCKFORD[hash(seed, STREAM.journey, campaignId, personIndex, t, i) % 32]!;
  return out;
}

/** The journey of a delivery, or null when it was not sent by a campaign. */
export function journeyIdOf(seed: number, d: Delivery): string | null {
  const c = d.sender.campaign_id;
  return d.sender.kind === 'campaign' && c !== null ? journeyIdFor(seed, c, d.personIndex, d.trigger_event_id) : null;
}
