// The runner's state file: the STATE messages the destination echoed (per stream), saved atomically
// (write a temp file, fsync, rename), plus the generation ids used for overwrite streams.
import { readFile } from 'node:fs/promises';
import type { AirbyteStateMessage } from '@cio-dw/common';
import { writeFileAtomically } from './atomic-write.js';

export interface SavedState {
  version: 1;
  updated_at: string;
  /** Per-stream STATE messages exactly as the destination echoed them (minus destinationStats). */
  states: AirbyteStateMessage[];
  generations: Record<string, number>;
}

export function emptyState(): SavedState {
  return { version: 1, updated_at: new Date(0).toISOString(), states: [], generations: {} };
}

export async function readStateFile(path: string): Promise<SavedState> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw e;
  }
  const v = JSON.parse(text) as Partial<SavedState>;
  if (v.version !== 1 || !Array.isArray(v.states)) throw new Error(`state file ${path} is not a cio-sync state file`);
  return { version: 1, updated_at: v.updated_at ?? '', states: v.states, generations: v.generations ?? {} };
}

export async function writeStateFile(path: string, state: SavedState): Promise<void> {
  await writeFileAtomically(path, JSON.stringify(state, null, 2) + '\n');
}

/** Merges an echoed STATE into the saved list: one entry per stream, newest wins. */
export function mergeState(states: AirbyteStateMessage[], echoed: AirbyteStateMessage): AirbyteStateMessage[] {
  const { destinationStats: _d, sourceStats: _s, ...clean } = echoed;
  const key = stateKey(clean);
  return [...states.filter((s) => stateKey(s) !== key), clean];
}

function stateKey(s: AirbyteStateMessage): string {
  if (s.type === 'STREAM') return `S:${s.stream?.stream_descriptor.namespace ?? ''}.${s.stream?.stream_descriptor.name}`;
  return `${s.type ?? 'LEGACY'}`;
}
