// Turns an acceptance plan into node:test tests, one per check, so a connector's test file is one call.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { AcceptancePlan } from './source-acceptance.js';
import { planSourceAcceptance } from './source-acceptance.js';
import type { HarnessOptions } from './harness-context.js';
import type { DestinationHarnessOptions } from './destination-acceptance.js';
import { planDestinationAcceptance } from './destination-acceptance.js';

export function registerPlan(title: string, plan: AcceptancePlan): void {
  describe(title, () => {
    after(() => plan.context.dispose());
    for (const c of plan.checks) {
      test(c.name, async () => {
        const r = await c.run();
        assert.ok(r.ok, r.reason);
      });
    }
  });
}

/**
 * Registers one node:test test per acceptance check of the source in `connectorDir`, driven by its
 * `acceptance-test-config.yml`. Call at the top level of a `*.test.ts` file.
 */
export function registerAcceptanceTests(connectorDir: string, opts: HarnessOptions = {}): void {
  registerPlan(`acceptance: ${connectorDir.split('/').filter(Boolean).pop()}`, planSourceAcceptance(connectorDir, opts));
}

/** Like registerAcceptanceTests, for a destination: spec/connection from the config, plus write scenarios. */
export function registerDestinationAcceptanceTests(connectorDir: string, opts: DestinationHarnessOptions): void {
  registerPlan(`destination acceptance: ${connectorDir.split('/').filter(Boolean).pop()}`, planDestinationAcceptance(connectorDir, opts));
}
