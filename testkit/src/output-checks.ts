// Checks over every run the other checks made: each stdout line is a valid AirbyteMessage whose
// type matches its payload, and no configured secret appears in stdout or stderr.
import { readFileSync } from 'node:fs';
import { secretValues } from '@cio-dw/common';
import type { AcceptanceCheck, HarnessContext } from './harness-context.js';
import { check } from './harness-context.js';
import { connectorSpec } from './spec-checks.js';

export function planOutputChecks(ctx: HarnessContext, before: AcceptanceCheck[]): AcceptanceCheck[] {
  // Both need every other check's runs; checks are memoised, so this costs nothing when run in order.
  const all = () => Promise.all(before.map((c) => c.run()));
  return [
    check('output: every stdout line of every run is a valid AirbyteMessage matching its type', async () => {
      await all();
      if (!ctx.runs.length) return ['no connector run was made'];
      return ctx.runs.flatMap((r) => r.violations.map((v) => `\`${r.args.join(' ')}\` stdout line ${v.line}: ${v.problems.join('; ')} — ${v.excerpt}`));
    }),
    check('output: no configured secret appears in any stdout or stderr', async () => {
      await all();
      const spec = await connectorSpec(ctx);
      const secrets = new Map<string, string>();
      for (const path of await ctx.allConfigFiles()) {
        let config: unknown;
        try { config = JSON.parse(readFileSync(path, 'utf8')); } catch { continue; }
        for (const s of secretValues(spec.connectionSpecification, config)) secrets.set(s, path);
      }
      for (const s of ctx.opts.extraSecrets ?? []) secrets.set(s, 'extraSecrets');
      const problems: string[] = [];
      for (const run of ctx.runs) {
        for (const [secret, from] of secrets) {
          const forms = [secret, JSON.stringify(secret).slice(1, -1)];
          for (const [where, text] of [['stdout', run.stdout], ['stderr', run.stderr]] as const) {
            const idx = Math.min(...forms.map((f) => { const i = text.indexOf(f); return i < 0 ? Infinity : i; }));
            if (idx !== Infinity) {
              const line = text.slice(0, idx).split('\n').length;
              problems.push(`\`${run.args.join(' ')}\`: ${where} line ${line} contains a secret value from ${from} (${secret.length} chars, not shown)`);
            }
          }
        }
      }
      return problems;
    }),
  ];
}
