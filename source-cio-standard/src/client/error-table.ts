// Customer.io's entries on top of the kit's default retry table (policy as data).
import { defaultErrorTable, extendErrorTable, type ErrorTable } from '@cio-dw/common';
import type { Region } from '../config.js';
import { otherRegion } from './base-url.js';

/** The wrong-region hint is the most common problem users of Customer.io connectors hit. */
export function unauthorizedMessage(region: Region): string {
  return `the App API rejected the key (401). Check the App API key (Account Settings > API Credentials > App API keys; `
    + `Track API keys do not work), or try region ${otherRegion(region)}: the region is ${region} now, and a key `
    + `of a workspace in the other region is rejected with 401.`;
}

export function cioErrorTable(region: Region): ErrorTable {
  return extendErrorTable(defaultErrorTable, {
    401: { action: 'fail', failureType: 'config_error', message: unauthorizedMessage(region) },
    403: { action: 'fail', failureType: 'config_error', message: 'the App API key lacks permission for this resource; give the key access to the workspace (App API keys are scoped to workspaces).' },
    404: { action: 'fail', failureType: 'system_error', message: 'the App API answered 404 for a resource that should exist; check the region and the API URL.' },
  });
}

/** For sub-resources of something that may be deleted mid-sync (a campaign's actions): 404 → skip. */
export const IGNORE_404: ErrorTable = Object.freeze({ 404: { action: 'ignore' } });
