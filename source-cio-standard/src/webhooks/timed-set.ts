// A set of ids with the event time (epoch s) each was first emitted at, pruned by age relative to the
// newest time it holds (event time, not wall time, so a replayed or simulated clock behaves the same).
export class TimedSet {
  private readonly items = new Map<string, number>();
  private newest = 0;

  has(id: string): boolean { return this.items.has(id); }
  add(id: string, ts: number): void {
    if (!this.items.has(id)) this.items.set(id, ts);
    if (ts > this.newest) this.newest = ts;
  }
  get size(): number { return this.items.size; }

  /** Forgets ids first seen more than `keepS` seconds before the newest one. */
  prune(keepS: number): void {
    const cutoff = this.newest - keepS;
    for (const [id, ts] of this.items) if (ts < cutoff) this.items.delete(id);
  }

  toJson(): Record<string, number> { return Object.fromEntries(this.items); }
  static fromJson(json: unknown): TimedSet {
    const s = new TimedSet();
    if (typeof json === 'object' && json !== null) {
      for (const [id, ts] of Object.entries(json as Record<string, unknown>)) if (typeof ts === 'number') s.add(id, ts);
    }
    return s;
  }
}
