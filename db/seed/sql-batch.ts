// Bulk INSERTs for seeding: Drizzle's per-row objects are too slow at 500k clients.
import type { Client, InStatement } from '@libsql/client';

export type Row = readonly unknown[];

/** Rows per statement: keeps one HTTP request body to a few MB. */
export const ROWS_PER_STATEMENT = 2_000;

function toJsonValue(value: unknown): string | number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'object') return JSON.stringify(value);
  return value as string | number;
}

/**
 * `INSERT … SELECT value->>0, value->>1, … FROM json_each(?)`: each chunk of rows travels as ONE
 * JSON text argument (far below SQLite's 32,766-variable limit). Against `VALUES (?,?,…)` with
 * 32k bound values it used the same CPU on a file, half the native memory, and took half the
 * time over HTTP (hrana encodes every bound value as its own JSON object). Integers stay
 * integers (`->>` returns SQL INTEGER for JSON integers); booleans become 0/1.
 */
export function insertStatements(
  table: string,
  columns: readonly string[],
  rows: readonly Row[],
  { orIgnore = false }: { orIgnore?: boolean } = {},
): InStatement[] {
  const select = columns.map((_, i) => `value->>${i}`).join(',');
  const sql = `INSERT${orIgnore ? ' OR IGNORE' : ''} INTO ${table} (${columns.join(',')}) SELECT ${select} FROM json_each(?)`;
  const statements: InStatement[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const slice = rows.slice(start, start + ROWS_PER_STATEMENT).map((row) => row.map(toJsonValue));
    statements.push({ sql, args: [JSON.stringify(slice)] });
  }
  return statements;
}

/** Runs the statements in one write transaction (one round trip over HTTP). */
export async function runBatch(client: Client, statements: InStatement[]): Promise<void> {
  if (statements.length === 0) return;
  await client.batch(statements, 'write');
  // libsql frees a prepared statement's native memory in a finalizer that only runs on a macrotask
  // turn; a loop of awaited batches never gives it one (50k clients grew RSS to 1.5 GB without this).
  await new Promise((resolve) => setImmediate(resolve));
}
