// `check`: one attempt per probe, all within a 10 s deadline, and every failure becomes CONNECTION_STATUS
// FAILED with a message that says what to change (Airbyte's acceptance test allows 60 s; a TRACE from
// `check` is read as a connector crash). Probe: GET /workspaces, which also tells whether workspace_id is
// one of the key's workspaces; then the webhook spool when it is configured.
import { ConnectorError, extendErrorTable, type CheckResult, type ErrorTable } from '@cio-dw/common';
import { listOf, type CioClient } from './client/cio-client.js';
import { baseUrlOf } from './client/base-url.js';
import type { CioConfig } from './config.js';
import { toInt, toStr } from './transforms/values.js';
import { checkWebhookSpool } from './webhooks/spool-check.js';

export const CHECK_DEADLINE_MS = 10_000;

/** Check-only entries over the client's table: nothing is retried, each cause gets its remedy. */
export function checkErrorTable(config: Pick<CioConfig, 'region' | 'api_url'>, deadlineMs: number): ErrorTable {
  const host = hostOf(baseUrlOf(config));
  const where = config.api_url ? 'api_url' : `region ${config.region}`;
  return extendErrorTable({}, {
    404: { action: 'fail', failureType: 'config_error', message: `${host} has no App API at this URL (404). Check ${where}: the base URL must end in /v1 (e.g. https://api.customer.io/v1); leave api_url empty to use the region's URL.` },
    429: { action: 'fail', failureType: 'transient_error', message: 'the App API rate-limited the check (429): other clients are using this key\'s 10 requests per second. Try again in a minute.' },
    '5xx': { action: 'fail', failureType: 'transient_error', message: 'the App API answered with a server error: Customer.io may be having an outage (https://status.customer.io). Try again later.' },
    '3xx': { action: 'fail', failureType: 'config_error', message: `${host} answered with a redirect, not the App API. Check ${where}.` },
    '4xx': { action: 'fail', failureType: 'config_error', message: `${host} refused the request. Check ${where} and the App API key.` },
    'network:dns': { action: 'fail', failureType: 'config_error', message: `the host name ${host} could not be resolved (DNS). Check ${where} and this machine's DNS / network access.` },
    'network:connection_refused': { action: 'fail', failureType: 'config_error', message: `the connection to ${host} was refused or the host is unreachable. Check ${where} (host and port) and any firewall or proxy between this machine and the App API.` },
    'network:timeout': { action: 'fail', failureType: 'transient_error', message: `${host} did not answer within ${deadlineMs / 1000} s. Check network access to the App API (firewall, proxy) and ${where}, then try again.` },
    'network:tls': { action: 'fail', failureType: 'config_error', message: `the TLS connection to ${host} failed. Check ${where} and any proxy or certificate setup.` },
    network: { action: 'fail', failureType: 'transient_error', message: `the connection to ${host} failed. Check network access to the App API and ${where}, then try again.` },
  });
}

export async function runCheck(config: CioConfig, client: CioClient, abort: AbortController, deadlineMs = CHECK_DEADLINE_MS): Promise<CheckResult> {
  const host = hostOf(baseUrlOf(config));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => {
      abort.abort(new Error('check deadline'));
      resolve({ ok: false, message: `cio: ${host} did not answer within ${deadlineMs / 1000} s. Check network access to the App API (firewall, proxy, DNS) and the region / api_url, then try again.` });
    }, deadlineMs);
  });
  try {
    return await Promise.race([probe(config, client, deadlineMs), deadline]);
  } catch (e) {
    if (abort.signal.aborted) return await deadline;
    return { ok: false, message: e instanceof ConnectorError ? e.message : `cio: the check failed unexpectedly (${e instanceof Error ? e.message : String(e)}); try again, and report it if it persists.` };
  } finally {
    clearTimeout(timer);
  }
}

async function probe(config: CioConfig, client: CioClient, deadlineMs: number): Promise<CheckResult> {
  const body = await client.call('GET', '/workspaces', {}, undefined, { errorTable: checkErrorTable(config, deadlineMs) });
  const listed = listOf(body, 'workspaces').map((w) => ({ id: toInt(w['id']), name: toStr(w['name']) }));
  if (listed.length > 0 && !listed.some((w) => w.id === config.workspace_id)) {
    const which = listed.map((w) => `${w.id ?? '?'}${w.name ? ` "${w.name}"` : ''}`).join(', ');
    return { ok: false, message: `cio: workspace_id ${config.workspace_id} is not a workspace this App API key can read; the key lists ${which}. Set workspace_id to that id, or use a key created in workspace ${config.workspace_id} (App API keys are scoped to workspaces).` };
  }
  if (config.reporting_webhooks) return checkWebhookSpool(config.reporting_webhooks);
  return { ok: true };
}

function hostOf(url: string): string {
  try { return new URL(url).host; } catch { return url; }
}
