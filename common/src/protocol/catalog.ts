// Parses configured catalogs and input state files (shape checks with clear config_errors).
import { ConfigError } from '../errors.js';
import { describeAjvErrors, newAjv } from '../config/parse.js';
import { streamKey } from './types.js';
import type { ConfiguredAirbyteCatalog } from './types.js';

const SYNC_MODES = ['full_refresh', 'incremental'];
const DEST_SYNC_MODES = ['append', 'overwrite', 'append_dedup', 'update', 'soft_delete'];

const catalogSchema = {
  type: 'object',
  required: ['streams'],
  properties: {
    streams: {
      type: 'array',
      items: {
        type: 'object',
        required: ['stream', 'sync_mode', 'destination_sync_mode'],
        properties: {
          stream: {
            type: 'object',
            required: ['name', 'json_schema'],
            properties: { name: { type: 'string', minLength: 1 }, namespace: { type: ['string', 'null'] }, json_schema: { type: 'object' } },
          },
          sync_mode: { type: 'string' },
          destination_sync_mode: { type: 'string' },
          cursor_field: { type: 'array', items: { type: 'string' } },
          primary_key: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
          generation_id: { type: ['integer', 'null'] },
          minimum_generation_id: { type: ['integer', 'null'] },
          sync_id: { type: ['integer', 'null'] },
        },
      },
    },
  },
};

/**
 * The identity of a stream within a sync (the key sinks see): its name when it has no namespace,
 * otherwise `["<namespace>","<name>"]`, so namespace `a` + name `b` and name `a.b` differ (streamKey,
 * the display form, writes both as `a.b`). An empty namespace is no namespace.
 */
export function streamId(d: { name: string; namespace?: string | null | undefined }): string {
  return d.namespace ? JSON.stringify([d.namespace, d.name]) : d.name;
}

let validateCatalog: ReturnType<ReturnType<typeof newAjv>['compile']> | undefined;

/** Validates the catalog's shape; sync-mode values are checked here, stream names by the caller. */
export function parseConfiguredCatalog(raw: unknown, path = 'catalog'): ConfiguredAirbyteCatalog {
  validateCatalog ??= newAjv().compile(catalogSchema);
  if (!validateCatalog(raw)) {
    throw new ConfigError(`catalog ${path} is not a valid configured catalog: ${describeAjvErrors(validateCatalog.errors, 'catalog')}`);
  }
  const catalog = raw as ConfiguredAirbyteCatalog;
  const seen = new Set<string>();
  for (const s of catalog.streams) {
    const key = streamKey(s.stream);
    if (!SYNC_MODES.includes(s.sync_mode)) {
      throw new ConfigError(`catalog: stream "${key}" has invalid sync_mode "${s.sync_mode}" (expected full_refresh or incremental)`);
    }
    if (!DEST_SYNC_MODES.includes(s.destination_sync_mode)) {
      throw new ConfigError(`catalog: stream "${key}" has invalid destination_sync_mode "${s.destination_sync_mode}"`);
    }
    const id = streamId(s.stream);
    if (seen.has(id)) throw new ConfigError(`catalog: stream "${key}" is listed twice`);
    seen.add(id);
  }
  return catalog;
}

/**
 * Reads an input state (`--state`): a JSON array of per-stream STATE messages (as Airbyte passes it),
 * or a single one. Returns stream key → stream_state. A null stream_state means "reset that stream".
 */
export function parseInputState(raw: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (raw === null || raw === undefined) return out;
  const items = Array.isArray(raw) ? raw : [raw];
  for (const [i, item] of items.entries()) {
    const msg = (item && typeof item === 'object' && 'state' in item && (item as { type?: unknown }).type === 'STATE')
      ? (item as { state: unknown }).state : item;
    if (!msg || typeof msg !== 'object') throw new ConfigError(`state: entry ${i} is not an object`);
    const m = msg as { type?: string; stream?: { stream_descriptor?: { name?: unknown; namespace?: string }; stream_state?: unknown } };
    if (m.type === 'GLOBAL') throw new ConfigError('state: GLOBAL state is not supported by this connector; it uses per-stream (STREAM) state');
    if (m.type !== 'STREAM') {
      throw new ConfigError(`state: entry ${i} is ${m.type ? `of type ${m.type}` : 'a legacy state blob'}; this connector only accepts per-stream STATE messages ({"type":"STREAM","stream":{…}}). Reset the connection's state to start over.`);
    }
    const d = m.stream?.stream_descriptor;
    if (!d || typeof d.name !== 'string') throw new ConfigError(`state: entry ${i} has no stream.stream_descriptor.name`);
    const key = streamKey({ name: d.name, ...(d.namespace ? { namespace: d.namespace } : {}) });
    const st = m.stream?.stream_state;
    if (st === null || st === undefined) out.delete(key);
    else out.set(key, st);
  }
  return out;
}
