// CAT TestSpec and TestConnection equivalents (apply to sources and destinations alike).
import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { newAjv, describeAjvErrors } from '@cio-dw/common';
import type { ConnectorSpecification } from '@cio-dw/common';
import { DEFAULT_SPEC_PATH, sectionTests } from './acceptance-config.js';
import type { AcceptanceCheck, HarnessContext } from './harness-context.js';
import { check, describeRun } from './harness-context.js';
import { validateConnectorSpecification } from './protocol-validator.js';
import { ofType } from './run-connector.js';
import {
  additionalPropertiesProblems, draft07Problems, enumProblems, keywordProblems, oneOfProblems, refProblems,
  secretMarkingProblems, SPEC_FORBIDDEN_KEYWORDS, typeArrayProblems,
} from './schema-rules.js';

const MINUTE = 60_000;

/** The connector's SPEC (one memoised `spec` run); throws with a reason when there is none. */
export async function connectorSpec(ctx: HarnessContext, timeoutMs = MINUTE): Promise<ConnectorSpecification> {
  const run = await ctx.run(['spec'], { key: 'spec', timeoutMs });
  const specs = ofType(run.messages, 'SPEC');
  if (run.exitCode !== 0 || specs.length !== 1) throw new Error(`spec: expected exactly one SPEC message and exit 0; got ${specs.length} SPEC message(s), ${describeRun(run)}`);
  return specs[0]!.spec;
}

export function planSpecChecks(ctx: HarnessContext): AcceptanceCheck[] {
  const tests = sectionTests(ctx.config.acceptance_tests.spec);
  return tests.flatMap((t, i) => {
    const label = tests.length > 1 ? `spec[${i}]` : 'spec';
    const timeoutMs = (t.timeout_seconds ?? 60) * 1000;
    const spec = () => connectorSpec(ctx, timeoutMs);
    const schemaRule = (name: string, rule: (s: unknown) => string[]) =>
      check(`${label}: ${name}`, async () => rule((await spec()).connectionSpecification));
    const configPath = ctx.configPath(t.config_path);
    const checks = [
      check(`${label}: emits exactly one valid SPEC message`, async () => validateConnectorSpecification(await spec())),
      schemaRule('connectionSpecification is a valid draft-07 JSON schema', draft07Problems),
      check(`${label}: config matches the spec`, async () => {
        const s = await spec();
        const raw = ctx.readJson(await ctx.effectiveConfig(configPath)) as Record<string, unknown>;
        const config = Object.fromEntries(Object.entries(raw).filter(([k]) => !k.startsWith('_')));
        const validate = newAjv().compile(s.connectionSpecification);
        return validate(config) ? [] : [`${configPath}: ${describeAjvErrors(validate.errors)}`];
      }),
      schemaRule('secret-like properties are marked airbyte_secret', secretMarkingProblems),
      schemaRule('no forbidden keywords (not, anyOf, allOf, if/then/else, patternProperties…)', (s) => keywordProblems(s, SPEC_FORBIDDEN_KEYWORDS)),
      schemaRule('every additionalProperties is true', additionalPropertiesProblems),
      schemaRule('type arrays are [T] or [T, "null"]', typeArrayProblems),
      schemaRule('enums have no duplicates', enumProblems),
      schemaRule('oneOf usage: object parents, one shared const discriminator', oneOfProblems),
      schemaRule('no $ref left in the spec', refProblems),
    ];
    const specPath = t.spec_path ?? DEFAULT_SPEC_PATH;
    if (t.spec_path !== undefined || ctx.exists(specPath)) {
      checks.push(check(`${label}: SPEC equals ${specPath}`, async () => {
        const expected = readSpecFile(ctx.path(specPath));
        const actual = await spec();
        return isDeepStrictEqual(actual, expected) ? [] : [`the SPEC message differs from ${specPath}`];
      }));
    }
    return checks;
  });
}

function readSpecFile(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  return /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
}

export function planConnectionChecks(ctx: HarnessContext): AcceptanceCheck[] {
  const tests = sectionTests(ctx.config.acceptance_tests.connection);
  return tests.map((t, i) => {
    const configPath = ctx.configPath(t.config_path);
    const name = `connection[${i}]: check with ${t.config_path ?? 'secrets/config.json'} → ${t.status}`;
    return check(name, async () => {
      const run = await ctx.run(['check', '--config', configPath], { timeoutMs: (t.timeout_seconds ?? 60) * 1000 });
      const statuses = ofType(run.messages, 'CONNECTION_STATUS');
      if (t.status === 'exception') {
        const traces = ofType(run.messages, 'TRACE');
        const problems: string[] = [];
        if (traces.length !== 1) problems.push(`expected exactly one TRACE message, got ${traces.length}`);
        else if (typeof traces[0]!.trace.error?.message !== 'string') problems.push('the TRACE message carries no error.message');
        return problems;
      }
      const want = t.status === 'succeed' ? 'SUCCEEDED' : 'FAILED';
      const problems: string[] = [];
      if (statuses.length !== 1) problems.push(`expected exactly one CONNECTION_STATUS, got ${statuses.length}; ${describeRun(run)}`);
      else if (statuses[0]!.connectionStatus.status !== want) problems.push(`expected ${want}, got ${statuses[0]!.connectionStatus.status}${statuses[0]!.connectionStatus.message ? ` (${statuses[0]!.connectionStatus.message})` : ''}`);
      if (run.exitCode !== 0) problems.push(`check should exit 0 when it reports a status; ${describeRun(run)}`);
      return problems;
    });
  });
}
