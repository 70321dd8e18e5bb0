// The source acceptance suite: CAT's spec, connection, discovery, basic_read, full_refresh and
// incremental sections, driven by the connector's acceptance-test-config.yml and run as subprocesses.
import { sectionTests } from './acceptance-config.js';
import { planDiscoveryChecks } from './discovery-checks.js';
import type { AcceptanceCheck, CheckResult, HarnessOptions } from './harness-context.js';
import { HarnessContext } from './harness-context.js';
import { planIncrementalChecks } from './incremental-checks.js';
import { planOutputChecks } from './output-checks.js';
import { planBasicReadChecks, planFullRefreshChecks } from './read-checks.js';
import { planConnectionChecks, planSpecChecks } from './spec-checks.js';

export interface AcceptancePlan { context: HarnessContext; checks: AcceptanceCheck[] }

export function planSourceAcceptance(connectorDir: string, opts: HarnessOptions = {}): AcceptancePlan {
  const ctx = new HarnessContext(connectorDir, opts);
  for (const section of ['connector_attributes', 'connector_documentation'] as const) {
    if (sectionTests(ctx.config.acceptance_tests[section]).length) {
      throw new Error(`acceptance-test-config.yml: section ${section} is not supported by this harness; use bypass_reason`);
    }
  }
  const planned = [
    ...planSpecChecks(ctx), ...planConnectionChecks(ctx), ...planDiscoveryChecks(ctx),
    ...planBasicReadChecks(ctx), ...planFullRefreshChecks(ctx), ...planIncrementalChecks(ctx),
  ];
  const only = opts.only ?? (() => true);
  const checks = planned.filter((c) => only(c.name));
  return { context: ctx, checks: [...checks, ...planOutputChecks(ctx, checks)] };
}

/** Runs every check in order and returns the results (for tests that expect failures). */
export async function runPlan(plan: AcceptancePlan): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  try {
    for (const c of plan.checks) results.push(await c.run());
  } finally {
    plan.context.dispose();
  }
  return results;
}

export function runSourceAcceptance(connectorDir: string, opts: HarnessOptions = {}): Promise<CheckResult[]> {
  return runPlan(planSourceAcceptance(connectorDir, opts));
}
