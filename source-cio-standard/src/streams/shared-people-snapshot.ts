// `people` and `attributes` each read every person on a first sync. Within one sync, the first complete
// fresh snapshot (no resume token) is kept and the other stream replays it, with that snapshot's start
// time as its own, instead of reading everyone again. It is kept in memory up to an estimated byte
// bound; past the bound it is spilled to a temporary file (one JSON line per batch) and replayed from
// there, so a large workspace is still read once. A snapshot that failed or was resumed from a token
// is not kept: the other stream then reads its own. The file is deleted after the replay (or at exit).
import { createReadStream, createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CioApi } from '../client/endpoints.js';
import { peopleSnapshot } from './people-snapshot.js';
import type { SnapshotBatch } from './snapshot-batch.js';

type Kept = { startedS: number; batches: SnapshotBatch[] } | { startedS: number; file: string; dir: string };

export class SharedPeopleSnapshot {
  private kept: Kept | undefined;

  /** `maxBytes`: memory bound (0: nothing is kept); `spillDir`: where a larger snapshot is spilled (default the OS temp dir). */
  constructor(private readonly api: CioApi, private readonly concurrency: number, private readonly maxBytes: number, private readonly spillDir = tmpdir()) {}

  /** Whether the kept snapshot lives in a spill file (for tests and logs). */
  get spilled(): boolean { return this.kept !== undefined && 'file' in this.kept; }

  /** A fresh snapshot: its start time (`nowS` unless replayed) and its batches. */
  fresh(nowS: number): { startedS: number; batches: AsyncIterable<SnapshotBatch> } {
    const kept = this.kept;
    if (kept) return { startedS: kept.startedS, batches: 'file' in kept ? this.replay(kept) : (async function* () { yield* kept.batches; })() };
    return { startedS: nowS, batches: this.record(nowS) };
  }

  private async *record(startedS: number): AsyncGenerator<SnapshotBatch> {
    if (this.maxBytes <= 0) { yield* peopleSnapshot(this.api, this.concurrency); return; }
    let batches: SnapshotBatch[] = [];
    let bytes = 0;
    let spill: { dir: string; file: string; out: WriteStream } | undefined;
    let complete = false;
    try {
      for await (const batch of peopleSnapshot(this.api, this.concurrency)) {
        if (spill) await write(spill.out, batch);
        else {
          for (const c of batch.customers) bytes += JSON.stringify(c).length + 64;
          batches.push(batch);
          if (bytes > this.maxBytes) {
            const dir = mkdtempSync(join(this.spillDir, 'cio-people-'));
            spill = { dir, file: join(dir, 'snapshot.jsonl'), out: createWriteStream(join(dir, 'snapshot.jsonl')) };
            for (const b of batches) await write(spill.out, b);
            batches = [];
          }
        }
        yield batch;
      }
      complete = true;
    } finally {
      if (spill) await new Promise<void>((r) => spill!.out.end(() => r()));
      if (!complete && spill) rmSync(spill.dir, { recursive: true, force: true });
    }
    if (this.kept) return;
    this.kept = spill ? { startedS, file: spill.file, dir: spill.dir } : { startedS, batches };
    if (spill) { const dir = spill.dir; process.once('exit', () => rmSync(dir, { recursive: true, force: true })); }
  }

  private async *replay(kept: { file: string; dir: string }): AsyncGenerator<SnapshotBatch> {
    const lines = createInterface({ input: createReadStream(kept.file), crlfDelay: Infinity });
    for await (const line of lines) if (line) yield JSON.parse(line) as SnapshotBatch;
    rmSync(kept.dir, { recursive: true, force: true }); // people and attributes: replayed once
  }
}

function write(out: WriteStream, batch: SnapshotBatch): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(`${JSON.stringify(batch)}\n`)) resolve();
    else { out.once('drain', resolve); out.once('error', reject); }
  });
}
