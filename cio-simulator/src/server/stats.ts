// Request counts by endpoint ("GET /v1/campaigns/:id/actions") and status ("200", "429", "dropped").
export interface SimStats {
  total: number;
  byStatus: Record<string, number>;
  byEndpoint: Record<string, Record<string, number>>;
}

export class StatsRecorder {
  private s: SimStats = { total: 0, byStatus: {}, byEndpoint: {} };
  record(endpoint: string, status: number | 'dropped' | 'truncated'): void {
    const k = String(status);
    this.s.total++;
    this.s.byStatus[k] = (this.s.byStatus[k] ?? 0) + 1;
    const e = (this.s.byEndpoint[endpoint] ??= {});
    e[k] = (e[k] ?? 0) + 1;
  }
  snapshot(): SimStats { return structuredClone(this.s); }
  reset(): void { this.s = { total: 0, byStatus: {}, byEndpoint: {} }; }
}
