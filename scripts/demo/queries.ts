// Questions the demo answers with DuckDB over the loaded tables (see scripts/warehouse/duckdb-loader.ts).
// The loaders keep one row per primary key (its newest version); the "latest" views also pick the
// newest per key, so they read raw files or any table the same way.
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../warehouse/sql.js';

export type Row = Record<string, unknown>;

async function rows(conn: DuckDBConnection, sql: string): Promise<Row[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Row[];
}

/** Opens per campaign: deliveries joined to their `opened` metrics and to the campaign's newest name. */
export const OPENS_PER_CAMPAIGN = `
WITH campaign AS (SELECT id, arg_max(name, updated) AS name FROM campaigns GROUP BY id),
     opened AS (SELECT DISTINCT delivery_id FROM metrics WHERE metric = 'opened')
SELECT d.campaign_id, c.name AS campaign, count(*) AS deliveries, count(o.delivery_id) AS opened,
       round(100.0 * count(o.delivery_id) / count(*), 1) AS open_rate_pct
FROM deliveries d JOIN campaign c ON c.id = d.campaign_id LEFT JOIN opened o ON o.delivery_id = d.delivery_id
GROUP BY ALL ORDER BY d.campaign_id`;

/** Events per user from the advanced feed's track calls, with the person's email from the standard feed. */
export const EVENTS_PER_USER = `
WITH person AS (SELECT customer_id, arg_max(email_addr, updated_at) AS email FROM people GROUP BY customer_id)
SELECT t.user_id, p.email, count(*) AS events, count(*) FILTER (WHERE t.event = 'order_completed') AS orders,
       count(DISTINCT t.event) AS distinct_events
FROM track t LEFT JOIN person p ON p.customer_id = t.user_id
WHERE t.user_id IS NOT NULL
GROUP BY ALL ORDER BY events DESC, t.user_id`;

export const opensPerCampaign = (conn: DuckDBConnection) => rows(conn, OPENS_PER_CAMPAIGN);
export const eventsPerUser = (conn: DuckDBConnection) => rows(conn, EVENTS_PER_USER);

/** A person's history of one attribute (standard feed: one row per real change). */
export function attributeHistory(conn: DuckDBConnection, cioId: string, attribute: string): Promise<Row[]> {
  return rows(conn, `SELECT attribute_value AS value, timestamp FROM attributes
    WHERE internal_customer_id = ${quoteLiteral(cioId)} AND attribute_name = ${quoteLiteral(attribute)} ORDER BY timestamp`);
}

/** Rows each feed holds about one person: in total and from the files of the latest sync (`latestFiles`). */
export function personRows(conn: DuckDBConnection, cioId: string, userId: string, latestFiles: string[]): Promise<Row[]> {
  const latest = latestFiles.length ? `_cio_file IN (${latestFiles.map(quoteLiteral).join(', ')})` : 'false';
  const part = (feed: string, table: string, where: string) =>
    `SELECT ${quoteLiteral(feed)} AS feed, count(*) AS total, count(*) FILTER (WHERE ${latest}) AS latest_sync FROM ${table} WHERE ${where}`;
  return rows(conn, [
    part('standard people', 'people', `internal_customer_id = ${quoteLiteral(cioId)}`),
    part('standard attributes', 'attributes', `internal_customer_id = ${quoteLiteral(cioId)}`),
    part('advanced identify', 'identify', `user_id = ${quoteLiteral(userId)}`),
  ].join(' UNION ALL ') + ' ORDER BY feed');
}

/** The raw identify calls of one user, oldest first. */
export function identifyCalls(conn: DuckDBConnection, userId: string): Promise<Row[]> {
  return rows(conn, `SELECT id, received_at, traits FROM identify WHERE user_id = ${quoteLiteral(userId)} ORDER BY received_at`);
}
