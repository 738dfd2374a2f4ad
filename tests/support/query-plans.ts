// The statements an app function sends and SQLite's plan for each: shared by the benches (bench/) and
// the plan tests (tests/integration/plans-at-scale.test.ts). The function runs for real on the given
// client; Drizzle's query logger only records what it sent.
import type { Client, InArgs } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { type AppDatabase, schema } from '../../db/database';
import type { AppContext } from '../../app/platform/context';
import { writePort } from '../../app/platform/write-queue';

export interface Statement {
  sql: string;
  args: InArgs;
}

/** Runs `work` with a context whose database records every statement it sends, and returns them in order. */
export async function statementsOf(ctx: AppContext, client: Client, work: (ctx: AppContext) => Promise<unknown>): Promise<Statement[]> {
  const captured: Statement[] = [];
  const logger = { logQuery: (sql: string, args: unknown[]) => void captured.push({ sql, args: args as InArgs }) };
  const db = drizzle({ client, schema, logger }) as unknown as AppDatabase;
  await work({ ...ctx, db, write: writePort(db) });
  return captured;
}

/** EXPLAIN QUERY PLAN of one statement, one line per step, indented by depth. */
export async function plan(client: Client, s: Statement): Promise<string[]> {
  const rows = (await client.execute({ sql: `EXPLAIN QUERY PLAN ${s.sql}`, args: s.args })).rows;
  const depth = new Map<number, number>([[0, -1]]);
  return rows.map((r) => {
    const d = (depth.get(Number(r.parent)) ?? -1) + 1;
    depth.set(Number(r.id), d);
    return `${'  '.repeat(d)}${String(r.detail)}`;
  });
}
