// Compares loaded warehouse tables with the simulator's ground truth, table by table: rows expected,
// rows present, keys missing, keys that should not be there, keys present more than once, and
// (for campaigns) rows whose newest version was not the one kept.
import type { Simulator } from '@cio-dw/cio-simulator';

export type Query = (sql: string) => Promise<Record<string, unknown>[]>;

export interface TableCheck { table: string; expected: number; rows: number; missing: number; extra: number; duplicates: number; stale: number }

/**
 * The metric names of a delivery's App API metrics map that Customer.io's metrics file has as rows:
 * `human_*` / `prefetch_*` are flags on the opened/clicked row (the simulator sets them at the same second
 * as that metric), `created` / `drafted` are not events.
 */
export function warehouseMetricNames(metrics: Record<string, number>): string[] {
  return Object.keys(metrics).filter((k) => !/^(human|prefetch)_/.test(k) && k !== 'created' && k !== 'drafted');
}

/** The key of each row a table must hold (and, where it matters, the value of its newest version). */
export function groundTruth(sim: Simulator): Record<string, Map<string, string>> {
  const { truth } = sim;
  const messages = truth.messages();
  return {
    deliveries: new Map(messages.map((m) => [String(m.id), ''])),
    metrics: new Map(messages.flatMap((m) => warehouseMetricNames(m.metrics as Record<string, number>).map((k) => [`${String(m.id)}|${k}`, '']))),
    campaigns: new Map(truth.campaigns().map((c) => [String(c.id), c.name])),
    people: new Map(truth.people().map((p) => [p.cio_id, ''])),
  };
}

const SQL: Record<string, string> = {
  deliveries: `SELECT delivery_id AS k, '' AS v FROM deliveries`,
  metrics: `SELECT delivery_id || '|' || metric AS k, '' AS v FROM metrics`,
  campaigns: `SELECT CAST(id AS VARCHAR) AS k, name AS v FROM campaigns`,
  people: `SELECT internal_customer_id AS k, '' AS v FROM people`,
};

export async function checkTables(query: Query, truth: Record<string, Map<string, string>>): Promise<TableCheck[]> {
  const out: TableCheck[] = [];
  for (const [table, want] of Object.entries(truth)) {
    const rows = await query(SQL[table]!);
    const seen = new Map<string, number>();
    let stale = 0;
    for (const r of rows) {
      const k = String(r.k);
      seen.set(k, (seen.get(k) ?? 0) + 1);
      if (want.has(k) && want.get(k) !== String(r.v ?? '')) stale++;
    }
    out.push({
      table, expected: want.size, rows: rows.length,
      missing: [...want.keys()].filter((k) => !seen.has(k)).length,
      extra: [...seen.keys()].filter((k) => !want.has(k)).length,
      duplicates: [...seen.values()].reduce((a, n) => a + n - 1, 0),
      stale,
    });
  }
  return out;
}

/** True when every table equals the truth exactly. */
export const exact = (checks: TableCheck[]): boolean => checks.every((c) => c.missing === 0 && c.extra === 0 && c.duplicates === 0 && c.stale === 0 && c.rows === c.expected);
