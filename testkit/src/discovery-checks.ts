// CAT TestDiscovery equivalents, plus the discovered catalog other sections fall back on.
import { streamKey } from '@cio-dw/common';
import type { AirbyteCatalog, AirbyteStream, ConfiguredAirbyteCatalog, SyncMode } from '@cio-dw/common';
import { DEFAULT_CATALOG_PATH, sectionTests } from './acceptance-config.js';
import type { AcceptanceCheck, HarnessContext } from './harness-context.js';
import { check, describeRun } from './harness-context.js';
import { ofType } from './run-connector.js';
import { additionalPropertiesProblems, draft07Problems, keywordProblems, refProblems, schemaAtPath, typesOf } from './schema-rules.js';

/** The catalog from `discover` with the given config (memoised per config). */
export async function discoveredCatalog(ctx: HarnessContext, configPath: string, timeoutMs = 300_000): Promise<AirbyteCatalog> {
  const run = await ctx.run(['discover', '--config', configPath], { key: `discover ${configPath}`, timeoutMs });
  const catalogs = ofType(run.messages, 'CATALOG');
  if (run.exitCode !== 0 || catalogs.length !== 1) throw new Error(`discover: expected exactly one CATALOG and exit 0; got ${catalogs.length}, ${describeRun(run)}`);
  return catalogs[0]!.catalog;
}

/**
 * The configured catalog for a read test: the file when given (or the CAT default file when it
 * exists) with each stream's definition replaced by the discovered one, as CAT does (a stream the
 * connector does not discover is an error); else (or when `discoveredOnly`) one built from discovery
 * (every stream, in `mode` when supported).
 */
export async function configuredCatalog(ctx: HarnessContext, path: string | undefined, configPath: string, mode: SyncMode, discoveredOnly = false): Promise<ConfiguredAirbyteCatalog> {
  const file = path ?? DEFAULT_CATALOG_PATH;
  const discovered = await discoveredCatalog(ctx, configPath);
  if (!discoveredOnly && (path !== undefined || ctx.exists(file))) return withDiscoveredStreams(ctx.readJson(file) as ConfiguredAirbyteCatalog, discovered, file);
  return {
    streams: discovered.streams
      .filter((s) => s.supported_sync_modes.includes(mode))
      .map((stream) => ({
        stream, sync_mode: mode, destination_sync_mode: mode === 'incremental' ? 'append' : 'overwrite',
        ...(mode === 'incremental' && stream.default_cursor_field ? { cursor_field: stream.default_cursor_field } : {}),
      })),
  };
}

/** CAT's build_configured_catalog_from_custom_catalog: configured streams take the discovered definitions. */
export function withDiscoveredStreams(configured: ConfiguredAirbyteCatalog, discovered: AirbyteCatalog, where: string): ConfiguredAirbyteCatalog {
  const byKey = new Map(discovered.streams.map((s) => [streamKey(s), s]));
  return {
    ...configured,
    streams: configured.streams.map((s) => {
      const d = byKey.get(streamKey(s.stream));
      if (!d) throw new Error(`${where}: stream ${streamKey(s.stream)} is not in the discovered catalog`);
      return { ...s, stream: d };
    }),
  };
}

export function planDiscoveryChecks(ctx: HarnessContext): AcceptanceCheck[] {
  const tests = sectionTests(ctx.config.acceptance_tests.discovery);
  return tests.flatMap((t, i) => {
    const label = tests.length > 1 ? `discovery[${i}]` : 'discovery';
    const configPath = ctx.configPath(t.config_path);
    const catalog = () => discoveredCatalog(ctx, configPath, (t.timeout_seconds ?? 300) * 1000);
    const perStream = (name: string, rule: (s: AirbyteStream) => string[]) => check(`${label}: ${name}`, async () =>
      (await catalog()).streams.flatMap((s) => rule(s).map((p) => `${s.name}: ${p}`)));
    const checks = [
      check(`${label}: exactly one CATALOG with streams and unique names`, async () => {
        const c = await catalog();
        const problems: string[] = [];
        if (c.streams.length === 0) problems.push('the catalog has no streams');
        const names = c.streams.map((s) => (s.namespace ? `${s.namespace}.${s.name}` : s.name));
        const dupes = names.filter((n, j) => names.indexOf(n) !== j);
        if (dupes.length) problems.push(`duplicate stream names: ${[...new Set(dupes)].join(', ')}`);
        return problems;
      }),
      perStream('stream schemas are valid draft-07 JSON schemas', (s) => draft07Problems(s.json_schema)),
      perStream('no $ref in stream schemas', (s) => refProblems(s.json_schema)),
      perStream('no allOf / not in stream schemas', (s) => keywordProblems(s.json_schema, ['allOf', 'not'])),
      perStream('primary keys exist in the schema', (s) => (s.source_defined_primary_key ?? [])
        .filter((pk) => !schemaAtPath(s.json_schema, pk)).map((pk) => `primary key ${pk.join('.')} is not in the schema`)),
      perStream('default cursors exist in the schema', (s) => s.default_cursor_field && !schemaAtPath(s.json_schema, s.default_cursor_field)
        ? [`default cursor ${s.default_cursor_field.join('.')} is not in the schema`] : []),
      perStream('every stream has sync modes', (s) => s.supported_sync_modes?.length ? [] : ['supported_sync_modes is empty']),
      perStream('every additionalProperties is true', (s) => additionalPropertiesProblems(s.json_schema)),
    ];
    if (t.validate_primary_keys_data_type ?? true) {
      checks.push(perStream('primary keys are not objects or arrays', (s) => (s.source_defined_primary_key ?? []).flatMap((pk) => {
        const node = schemaAtPath(s.json_schema, pk);
        const bad = node ? typesOf(node).filter((x) => x === 'object' || x === 'array') : [];
        return bad.length ? [`primary key ${pk.join('.')} has type ${bad.join('/')}`] : [];
      })));
    }
    return checks;
  });
}
