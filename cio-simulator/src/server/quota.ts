// A per-day request quota (the archived_message endpoint's 100 a day). Days are UTC days of the
// simulator clock, so tests move to the next day with `advanceClock`. Refused requests do not count.
export class DailyQuota {
  private day = -1;
  private used = 0;
  constructor(private readonly perDay: number, private readonly nowS: () => number) {}

  /** Takes one request from today's quota; false when today's quota is used up (0 = unlimited). */
  take(): boolean {
    if (this.perDay <= 0) return true;
    const day = Math.floor(this.nowS() / 86400);
    if (day !== this.day) { this.day = day; this.used = 0; }
    if (this.used >= this.perDay) return false;
    this.used++;
    return true;
  }

  /** Requests left today. */
  remaining(): number {
    if (this.perDay <= 0) return Number.POSITIVE_INFINITY;
    return Math.floor(this.nowS() / 86400) === this.day ? this.perDay - this.used : this.perDay;
  }
}
