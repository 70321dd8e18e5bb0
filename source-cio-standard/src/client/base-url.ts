// Region → App API base URL. "The only difference in our US and EU regions is the subdomain."
import type { CioConfig, Region } from '../config.js';

export const REGION_BASE_URL: Readonly<Record<Region, string>> = Object.freeze({
  US: 'https://api.customer.io/v1',
  EU: 'https://api-eu.customer.io/v1',
});

/** The base URL requests go to, without a trailing slash. `api_url` (testing only) wins over the region. */
export function baseUrlOf(c: Pick<CioConfig, 'region' | 'api_url'>): string {
  const url = c.api_url && c.api_url.trim() !== '' ? c.api_url.trim() : REGION_BASE_URL[c.region ?? 'US'];
  return url.replace(/\/+$/, '');
}

/** The other region, for the wrong-region hint. */
export function otherRegion(r: Region): Region {
  return r === 'EU' ? 'US' : 'EU';
}
