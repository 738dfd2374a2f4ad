// Full recounts of the maintained aggregates (decision 100), for the aggregate-vs-recount test.
import type { Client } from '@libsql/client';

const recounts = {
  client_status_counts: `SELECT p.period_key, c.company_id, c.branch_id, p.status_type_id, coalesce(p.last_updated_by, 0), coalesce(c.pension_type_id, 0),
      p.has_payment, p.is_terminal, c.deleted_at IS NOT NULL, count(*)
    FROM client_period_status p JOIN clients c ON c.id = p.client_id GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
  period_status_counts: `SELECT period_key, company_id, branch_id, status_type_id, coalesce(last_updated_by, 0), count(*)
    FROM client_period_status GROUP BY 1, 2, 3, 4, 5`,
  status_event_days: `SELECT p.period_key, c.company_id, c.branch_id, date(e.created_at / 1000 + 28800, 'unixepoch'),
      count(*), sum(e.to_status_type_id = (SELECT id FROM status_types WHERE code = 'DONE'))
    FROM status_events e JOIN client_period_status p ON p.id = e.period_status_id JOIN clients c ON c.id = p.client_id GROUP BY 1, 2, 3, 4`,
} as const;

export type AggregateTable = keyof typeof recounts;
export const AGGREGATE_TABLES = Object.keys(recounts) as AggregateTable[];

const lines = (rows: Array<Record<string, unknown>>) => rows.map((r) => Object.values(r).map(String).join('|')).sort();

/** The aggregate's non-zero rows and the recount's rows, each as sorted "key|…|n" lines. */
export async function aggregateAndRecount(client: Client, table: AggregateTable): Promise<{ stored: string[]; recount: string[] }> {
  const nonZero = table === 'status_event_days' ? 'updates <> 0 OR done <> 0' : 'n <> 0';
  const [stored, recount] = await Promise.all([client.execute(`SELECT * FROM ${table} WHERE ${nonZero}`), client.execute(recounts[table])]);
  return { stored: lines(stored.rows as never), recount: lines(recount.rows as never) };
}
