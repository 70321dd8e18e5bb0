// Validates protocol output against the official Airbyte protocol schema (vendored in
// testkit/resources/spec/airbyte_protocol.yaml), plus the rule the schema leaves out: the payload key
// named by `type` (and by a TRACE's own `type`) must be present.
import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { describeAjvErrors, newAjv } from '@cio-dw/common';

/** Where the vendored official schemas live (works from src/testing and dist/testing alike). */
export const SPEC_DIR = new URL('../resources/spec/', import.meta.url);

const PAYLOAD_KEY: Record<string, string> = {
  RECORD: 'record', STATE: 'state', LOG: 'log', SPEC: 'spec', CONNECTION_STATUS: 'connectionStatus',
  CATALOG: 'catalog', TRACE: 'trace', CONTROL: 'control', DESTINATION_CATALOG: 'destination_catalog',
};
const TRACE_PAYLOAD_KEY: Record<string, string> = {
  ERROR: 'error', STREAM_STATUS: 'stream_status', ESTIMATE: 'estimate', ANALYTICS: 'analytics',
};

interface Compiled { message: ValidateFunction; configuredCatalog: ValidateFunction; catalog: ValidateFunction; spec: ValidateFunction }
let compiled: Compiled | undefined;

function load(): Compiled {
  if (compiled) return compiled;
  const schema = parseYaml(readFileSync(new URL('airbyte_protocol.yaml', SPEC_DIR), 'utf8')) as Record<string, unknown>;
  const ajv = newAjv();
  // Airbyte's own annotation keywords in the protocol file (ajv strict:false ignores them anyway).
  for (const kw of ['existingJavaType', 'version']) { try { ajv.addKeyword(kw); } catch { /* known */ } }
  ajv.addSchema(schema, 'airbyte-protocol');
  const get = (name: string): ValidateFunction => {
    const v = ajv.getSchema(`airbyte-protocol#/definitions/${name}`);
    if (!v) throw new Error(`protocol schema has no definition ${name}`);
    return v;
  };
  compiled = {
    message: get('AirbyteMessage'), configuredCatalog: get('ConfiguredAirbyteCatalog'),
    catalog: get('AirbyteCatalog'), spec: get('ConnectorSpecification'),
  };
  return compiled;
}

/** Problems with one message; empty when it is valid. */
export function validateAirbyteMessage(message: unknown): string[] {
  const v = load().message;
  const problems: string[] = [];
  if (!v(message)) problems.push(`does not match AirbyteMessage: ${describeAjvErrors(v.errors, 'message')}`);
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return problems.length ? problems : ['is not a JSON object'];
  const m = message as Record<string, unknown>;
  const type = m.type;
  if (typeof type === 'string') {
    const key = PAYLOAD_KEY[type];
    if (key && !isObject(m[key])) problems.push(`type ${type} but no "${key}" object`);
    for (const [t, k] of Object.entries(PAYLOAD_KEY)) {
      if (t !== type && k in m) problems.push(`type ${type} but carries the "${k}" payload of ${t}`);
    }
    if (type === 'TRACE' && isObject(m.trace)) {
      const tt = m.trace.type;
      const tkey = typeof tt === 'string' ? TRACE_PAYLOAD_KEY[tt] : undefined;
      if (tkey && !isObject(m.trace[tkey])) problems.push(`TRACE of type ${String(tt)} but no "trace.${tkey}" object`);
    }
  }
  return problems;
}

/** Parses one stdout line and validates it; returns the message (if it is JSON) and the problems. */
export function validateProtocolLine(line: string): { message?: unknown; problems: string[] } {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return { problems: ['is not valid JSON'] };
  }
  return { message, problems: validateAirbyteMessage(message) };
}

export function validateConfiguredCatalog(catalog: unknown): string[] {
  const v = load().configuredCatalog;
  return v(catalog) ? [] : [`does not match ConfiguredAirbyteCatalog: ${describeAjvErrors(v.errors, 'catalog')}`];
}

export function validateConnectorSpecification(spec: unknown): string[] {
  const v = load().spec;
  return v(spec) ? [] : [`does not match ConnectorSpecification: ${describeAjvErrors(v.errors, 'spec')}`];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * For unit tests of in-process runs (e.g. MemoryEmitter.messages or captured stdout text): throws an
 * Error listing every message that is not a valid AirbyteMessage or whose type and payload disagree.
 */
export function assertValidProtocolOutput(output: string | readonly unknown[]): void {
  const items: unknown[] = typeof output === 'string'
    ? output.split('\n').filter((l) => l.trim() !== '').map((l) => { try { return JSON.parse(l) as unknown; } catch { return l; } })
    : [...output];
  const problems = items.flatMap((m, i) => {
    const p = typeof m === 'string' ? ['is not valid JSON'] : validateAirbyteMessage(m);
    return p.length ? [`message ${i + 1}: ${p.join('; ')}`] : [];
  });
  if (problems.length) throw new Error(`invalid protocol output:\n${problems.slice(0, 20).join('\n')}`);
}
