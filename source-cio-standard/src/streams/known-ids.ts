// Sets of person ids as sorted runs of gzip-compressed blocks, so two sets of any size can be compared
// (which ids vanished?) while holding only a few blocks in memory. The set of people a sync knew is kept
// in the `people` state in this form (`known_ids`): measured ~3 bytes of state per person for sequential
// ids, ~9 for random 12-hex-digit cio_ids (1 M people ≈ 9 MB of state); docs/README.md "How late data is handled".
import { gunzipSync, gzipSync } from 'node:zlib';

/** One sorted run of unique ids: blocks of ≤ BLOCK ids, each base64(gzip(ids joined by "\n")). */
export interface KnownIdsJson { count: number; blocks: string[] }

const BLOCK = 4096;
/** Runs merged at once while collecting (bounds the blocks decoded at a time). */
const FAN_IN = 8;

function encodeBlock(ids: readonly string[]): string { return gzipSync(ids.join('\n'), { level: 6 }).toString('base64'); }
function decodeBlock(b: string): string[] {
  const text = gunzipSync(Buffer.from(b, 'base64')).toString('utf8');
  return text === '' ? [] : text.split('\n');
}

export function isKnownIds(v: unknown): v is KnownIdsJson {
  return typeof v === 'object' && v !== null && Number.isInteger((v as KnownIdsJson).count)
    && Array.isArray((v as KnownIdsJson).blocks) && (v as KnownIdsJson).blocks.every((b) => typeof b === 'string');
}

/** The ids of a run, in order, one block decoded at a time. */
export function* idsOf(run: KnownIdsJson): Generator<string> {
  for (const b of run.blocks) yield* decodeBlock(b);
}

/** Writes sorted ids into a run (equal neighbours kept once). */
export class RunWriter {
  private readonly blocks: string[] = [];
  private buf: string[] = [];
  private count = 0;
  private last: string | undefined;
  push(id: string): void {
    if (id === this.last) return;
    if (this.last !== undefined && id < this.last) throw new Error(`known-ids: ids out of order (${id} after ${this.last})`);
    this.last = id;
    this.buf.push(id);
    this.count++;
    if (this.buf.length === BLOCK) { this.blocks.push(encodeBlock(this.buf)); this.buf = []; }
  }
  finish(): KnownIdsJson {
    if (this.buf.length) this.blocks.push(encodeBlock(this.buf));
    this.buf = [];
    return { count: this.count, blocks: this.blocks };
  }
}

export function runOf(ids: Iterable<string>): KnownIdsJson {
  const w = new RunWriter();
  for (const id of ids) w.push(id);
  return w.finish();
}

/** Sorted union of sorted sequences (k-way merge, duplicates dropped by the writer). */
export function* mergeSorted(seqs: Iterable<string>[]): Generator<string> {
  const its = seqs.map((s) => s[Symbol.iterator]());
  const heads = its.map((it) => it.next());
  for (;;) {
    let k = -1;
    for (let i = 0; i < heads.length; i++) if (!heads[i]!.done && (k < 0 || heads[i]!.value < heads[k]!.value)) k = i;
    if (k < 0) return;
    yield heads[k]!.value as string;
    heads[k] = its[k]!.next();
  }
}

/** Ids of sorted `a` that are not in sorted `b`. */
export function* difference(a: Iterable<string>, b: Iterable<string>): Generator<string> {
  const ib = b[Symbol.iterator]();
  let y = ib.next();
  for (const x of a) {
    while (!y.done && y.value < x) y = ib.next();
    if (y.done || y.value !== x) yield x;
  }
}

/** Collects ids arriving in any order (e.g. page by page) into one sorted run, FAN_IN runs at a time. */
export class IdCollector {
  private runs: KnownIdsJson[] = [];
  add(ids: readonly string[]): void {
    if (ids.length === 0) return;
    this.runs.push(runOf([...ids].sort()));
    if (this.runs.length >= FAN_IN) this.runs = [runOf(mergeSorted(this.runs.map(idsOf)))];
  }
  finish(): KnownIdsJson { return runOf(mergeSorted(this.runs.map(idsOf))); }
}

/** `known` with `added` ids put in and `removed` ids taken out. */
export function updateKnown(known: KnownIdsJson, added: readonly string[], removed: readonly string[]): KnownIdsJson {
  if (added.length === 0 && removed.length === 0) return known;
  const gone = [...new Set(removed)].sort();
  return runOf(difference(mergeSorted([idsOf(known), [...added].sort()]), gone));
}
