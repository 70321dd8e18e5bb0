// Builds a configured catalog from a source's discovered catalog (pure).
import type { AirbyteCatalog, ConfiguredAirbyteCatalog } from '@cio-dw/common';

export interface CatalogChoice {
  /** Only these streams (default: all). */
  streams?: string[];
  syncId: number;
  /** Generation per stream so far; overwrite streams get the next one. */
  generations: Record<string, number>;
}

/**
 * Incremental streams sync incrementally and append; full-refresh-only streams overwrite, each sync
 * writing a new generation (the destination marks it complete in its manifest; nothing is deleted).
 */
export function configureCatalog(discovered: AirbyteCatalog, choice: CatalogChoice): { catalog: ConfiguredAirbyteCatalog; generations: Record<string, number> } {
  const known = new Set(discovered.streams.map((s) => s.name));
  for (const name of choice.streams ?? []) {
    if (!known.has(name)) throw new Error(`stream "${name}" is not offered by the source (it has: ${[...known].join(', ')})`);
  }
  const generations = { ...choice.generations };
  const streams = discovered.streams
    .filter((s) => !choice.streams || choice.streams.includes(s.name))
    .map((stream) => {
      const incremental = stream.supported_sync_modes.includes('incremental');
      const previous = generations[stream.name] ?? 0;
      const generation = incremental ? previous : previous + 1;
      generations[stream.name] = generation;
      return {
        stream,
        sync_mode: incremental ? 'incremental' as const : 'full_refresh' as const,
        destination_sync_mode: incremental ? 'append' as const : 'overwrite' as const,
        ...(incremental && stream.default_cursor_field ? { cursor_field: stream.default_cursor_field } : {}),
        ...(stream.source_defined_primary_key ? { primary_key: stream.source_defined_primary_key } : {}),
        generation_id: generation,
        minimum_generation_id: incremental ? 0 : generation,
        sync_id: choice.syncId,
      };
    });
  return { catalog: { streams }, generations };
}
