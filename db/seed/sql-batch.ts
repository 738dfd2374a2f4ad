// Raw multi-row INSERTs for seeding: Drizzle's per-row objects are too slow at 500k clients.
import type { Client, InArgs, InStatement, InValue } from '@libsql/client';

/** SQLite's default SQLITE_MAX_VARIABLE_NUMBER (3.32+) is 32,766; stay under it. */
export const MAX_VARIABLES = 32_000;

export type Row = readonly unknown[];

function toSqlValue(value: unknown): InValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'object') return JSON.stringify(value);
  return value as InValue;
}

/** INSERT statements for `rows`, as few as the variable limit allows. */
export function insertStatements(
  table: string,
  columns: readonly string[],
  rows: readonly Row[],
  { orIgnore = false }: { orIgnore?: boolean } = {},
): InStatement[] {
  const perStatement = Math.max(1, Math.floor(MAX_VARIABLES / columns.length));
  const tuple = `(${columns.map(() => '?').join(',')})`;
  const head = `INSERT${orIgnore ? ' OR IGNORE' : ''} INTO ${table} (${columns.join(',')}) VALUES `;
  const statements: InStatement[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const slice = rows.slice(start, start + perStatement);
    const args: InArgs = [];
    for (const row of slice) for (const value of row) args.push(toSqlValue(value));
    statements.push({ sql: head + slice.map(() => tuple).join(','), args });
  }
  return statements;
}

/** Runs the statements in one write transaction (one round trip over HTTP). */
export async function runBatch(client: Client, statements: InStatement[]): Promise<void> {
  if (statements.length > 0) await client.batch(statements, 'write');
}

export async function countRows(client: Client, table: string): Promise<number> {
  const result = await client.execute(`SELECT count(*) AS n FROM ${table}`);
  return Number(result.rows[0].n);
}
