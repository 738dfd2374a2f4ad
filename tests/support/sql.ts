// Direct SQL against a test database: the independent answer route results are compared with.
import type { Client, InValue } from '@libsql/client';

export async function sqlRows(client: Client, sql: string, args: InValue[] = []): Promise<Record<string, unknown>[]> {
  return (await client.execute({ sql, args })).rows.map((r) => ({ ...r }));
}

export async function sqlCount(client: Client, sql: string, args: InValue[] = []): Promise<number> {
  const [row] = await sqlRows(client, sql, args);
  return Number(Object.values(row)[0]);
}

/** Id of a row by its unique code (companies, branches, products, par_statuses, status_types …). */
export async function idByCode(client: Client, table: string, code: string): Promise<number> {
  const [row] = await sqlRows(client, `SELECT id FROM ${table} WHERE code = ?`, [code]);
  if (!row) throw new Error(`no ${table} row with code ${code}`);
  return Number(row.id);
}

/** A whole table as rows, for "nothing changed" comparisons. */
export function snapshot(client: Client, table: string): Promise<Record<string, unknown>[]> {
  return sqlRows(client, `SELECT * FROM ${table} ORDER BY id`);
}
