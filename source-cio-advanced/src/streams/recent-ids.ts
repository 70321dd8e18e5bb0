// Remembers messageIds seen within a sliding time window (times must arrive in non-decreasing order).
export class RecentIds {
  private readonly ids = new Map<string, number>();
  private readonly order: { t: number; id: string }[] = [];
  private head = 0;

  constructor(private readonly windowMs: number) {}

  /** True if `id` was seen at a time within the window before `t`; otherwise remembers it. */
  seen(id: string, t: number): boolean {
    this.evict(t - this.windowMs);
    if (this.ids.has(id)) return true;
    this.ids.set(id, t);
    this.order.push({ t, id });
    return false;
  }

  get size(): number { return this.ids.size; }

  private evict(before: number): void {
    while (this.head < this.order.length && this.order[this.head]!.t < before) {
      const { id, t } = this.order[this.head]!;
      if (this.ids.get(id) === t) this.ids.delete(id);
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.order.length) { this.order.splice(0, this.head); this.head = 0; }
  }
}
