// One sync of a connection, run the way Airbyte runs it: the source's `read` piped into the
// destination's `write`; the states the destination echoes are saved (atomically) for the next run.
// Configs (with expanded secrets), catalog and state reach the connectors as `/dev/fd/N` of files
// without a name (fd-file.ts): nothing of them is left on disk, whatever happens to the runner.
// When the destination dies, the source is stopped at once and the sync fails.
import { closeSync } from 'node:fs';
import { splitLines } from '@cio-dw/common';
import type { AirbyteCatalog, AirbyteMessage, AirbyteStateMessage } from '@cio-dw/common';
import { configureCatalog } from './catalog.js';
import { catalogPathFor, writeCatalogFile } from './catalog-file.js';
import { exitCode, running, runToCompletion, startConnector, stopChild, tailStderr } from './child.js';
import type { Command } from './connectors.js';
import { fdPath, openUnnamedFile } from './fd-file.js';
import type { Progress } from './progress.js';
import { mergeState, readStateFile, writeStateFile } from './state-file.js';
import { writtenFileStreams } from './written-files.js';

export interface SyncSpec {
  source: Command;
  sourceConfig: unknown;
  destination: Command;
  destinationConfig: unknown;
  streams?: string[];
  statePath: string;
  env: NodeJS.ProcessEnv;
  progress: Progress;
  now?: () => number;
  signal?: AbortSignal;
}

export interface SyncResult { ok: boolean; records: number; statesSaved: number; errors: string[] }

const RECORD_PREFIX = '{"type":"RECORD"';
const STREAM_RE = /"stream":"((?:[^"\\]|\\.)*)"/;

export async function runSync(spec: SyncSpec): Promise<SyncResult> {
  const now = spec.now ?? Date.now;
  const errors: string[] = [];
  let records = 0;
  let statesSaved = 0;
  const opened: number[] = [];
  /** Descriptors for one child; they are closed here once it has started (it keeps its own copies). */
  const fds = (...values: unknown[]) => {
    const list = values.map((v) => openUnnamedFile(JSON.stringify(v)));
    opened.push(...list);
    return list;
  };
  const closeAll = () => { for (const fd of opened.splice(0)) closeSync(fd); };
  try {
    const saved = await readStateFile(spec.statePath);

    spec.progress.phase('discovering streams');
    const discovered = await discover(spec, fds(spec.sourceConfig));
    closeAll();
    const { catalog, generations } = configureCatalog(discovered, { ...(spec.streams ? { streams: spec.streams } : {}), syncId: Math.floor(now() / 1000), generations: saved.generations });
    // Persist new generation ids before writing any data, so a failed attempt's files are never
    // mistaken for a later complete generation.
    saved.generations = generations;
    saved.updated_at = new Date(now()).toISOString();
    await writeStateFile(spec.statePath, saved);
    await writeCatalogFile(catalogPathFor(spec.statePath), catalog);
    const streamNames = catalog.streams.map((s) => s.stream.name);

    spec.progress.phase(`syncing ${catalog.streams.length} streams`);
    const source = startConnector(spec.source, ['read', '--config', fdPath(0), '--catalog', fdPath(1), '--state', fdPath(2)], spec.env,
      fds(spec.sourceConfig, catalog, saved.states));
    const destination = startConnector(spec.destination, ['write', '--config', fdPath(0), '--catalog', fdPath(1)], spec.env,
      fds(spec.destinationConfig, catalog));
    closeAll();
    source.stdin.end();
    const sourceErr = tailStderr(source);
    const destErr = tailStderr(destination);
    const onAbort = () => { stopChild(source); stopChild(destination); };
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    destination.stdin.on('error', () => { /* destination died; its exit code tells */ });
    // A destination that exits while the source still runs can take nothing more: stop the source now.
    let destinationEnded = false;
    let destinationDiedEarly = false;
    const destinationExit = new Promise<void>((resolve) => destination.once('exit', () => {
      destinationEnded = true;
      if (running(source)) { destinationDiedEarly = true; stopChild(source); }
      resolve();
    }));

    // Destination output: echoed states are saved as they arrive (coalesced writes).
    let saving: Promise<void> = Promise.resolve();
    let dirty = false;
    const save = () => {
      dirty = true;
      saving = saving.then(async () => {
        if (!dirty) return;
        dirty = false;
        saved.updated_at = new Date(now()).toISOString();
        await writeStateFile(spec.statePath, saved);
      });
    };
    const fromDestination = (async () => {
      for await (const line of splitLines(destination.stdout)) {
        const msg = parse(line.text);
        if (!msg) continue;
        if (msg.type === 'STATE') {
          saved.states = mergeState(saved.states, msg.state);
          statesSaved++;
          const name = stateStream(msg.state);
          spec.progress.committed(name, msg.state.destinationStats?.recordCount ?? 0, now());
          save();
        } else if (msg.type === 'TRACE' && msg.trace.type === 'ERROR') {
          errors.push(`destination: ${msg.trace.error?.message ?? 'failed'}`);
        } else if (msg.type === 'LOG') {
          const written = writtenFileStreams(msg.log.message, streamNames);
          if (written) for (const name of written) spec.progress.file(name);
          else if (msg.log.level === 'WARN' || msg.log.level === 'ERROR' || msg.log.level === 'FATAL') spec.progress.message(`destination ${msg.log.level}: ${msg.log.message}`);
        }
      }
    })();

    // Source output: records and states go to the destination; the rest is reported.
    const toDestination = async (text: string) => {
      if (destinationEnded || !destination.stdin.writable) return;
      if (destination.stdin.write(text + '\n')) return;
      let done = () => {};
      const drained = new Promise<void>((resolve) => { done = resolve; destination.stdin.once('drain', done); });
      await Promise.race([drained, destinationExit]);
      destination.stdin.off('drain', done);
    };
    for await (const line of splitLines(source.stdout)) {
      if (destinationEnded) break;
      if (line.text.startsWith(RECORD_PREFIX)) {
        records++;
        spec.progress.record(STREAM_RE.exec(line.text)?.[1] ?? '?');
        await toDestination(line.text);
        continue;
      }
      const msg = parse(line.text);
      if (!msg) continue;
      if (msg.type === 'RECORD') { records++; spec.progress.record(msg.record.stream); await toDestination(line.text); }
      else if (msg.type === 'STATE') await toDestination(line.text);
      // Stream statuses go to the destination too (as Airbyte does): an overwrite generation is only
      // marked complete for streams the source finished.
      else if (msg.type === 'TRACE' && msg.trace.type === 'STREAM_STATUS') await toDestination(line.text);
      else if (msg.type === 'TRACE' && msg.trace.type === 'ERROR') errors.push(`source: ${msg.trace.error?.message ?? 'failed'}`);
      else if (msg.type === 'LOG' && msg.log.level !== 'DEBUG') spec.progress.message(`source ${msg.log.level}: ${msg.log.message}`);
    }
    if (destinationEnded) stopChild(source);
    const sourceCode = await exitCode(source);
    destination.stdin.end();
    const destCode = await exitCode(destination);
    await fromDestination;
    await saving;
    spec.signal?.removeEventListener('abort', onAbort);
    if (destinationDiedEarly) errors.push(`destination exited (code ${destCode}) while the source was still reading; the source was stopped: ${destErr.slice(-3).join(' | ')}`);
    if (sourceCode !== 0 && !destinationDiedEarly && !errors.some((e) => e.startsWith('source'))) errors.push(`source exited with code ${sourceCode}: ${sourceErr.slice(-3).join(' | ')}`);
    if (destCode !== 0 && !errors.some((e) => e.startsWith('destination'))) errors.push(`destination exited with code ${destCode}: ${destErr.slice(-3).join(' | ')}`);
    return { ok: sourceCode === 0 && destCode === 0 && errors.length === 0, records, statesSaved, errors };
  } catch (e) {
    errors.push((e as Error).message);
    return { ok: false, records, statesSaved, errors };
  } finally {
    closeAll();
  }
}

async function discover(spec: SyncSpec, fds: number[]): Promise<AirbyteCatalog> {
  const r = await runToCompletion(spec.source, ['discover', '--config', fdPath(0)], spec.env, fds);
  let catalog: AirbyteCatalog | undefined;
  for (const text of r.lines) {
    const msg = parse(text);
    if (msg?.type === 'CATALOG') catalog = msg.catalog;
    if (msg?.type === 'TRACE' && msg.trace.type === 'ERROR') throw new Error(`source discover failed: ${msg.trace.error?.message}`);
  }
  if (!catalog || r.code !== 0) throw new Error(`source discover failed (exit ${r.code}): ${r.stderr.slice(-3).join(' | ')}`);
  return catalog;
}

function parse(text: string): AirbyteMessage | undefined {
  try {
    const v = JSON.parse(text) as AirbyteMessage;
    return typeof v === 'object' && v !== null && typeof v.type === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function stateStream(s: AirbyteStateMessage): string {
  return s.stream?.stream_descriptor.name ?? '(global)';
}
