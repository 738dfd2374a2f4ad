// FCASH tele workflow test support: a signed-in user's calls to the client page, the tele tables in
// full for "nothing changed" comparisons, and clients picked by branch and state in plain SQL.
import type { Client, InValue } from '@libsql/client';
import { expect } from 'vitest';
import { action, loader } from '../../app/routes/clients.$id/route';
import { callRoute, formInit, requestWithCookie, startTestSession, type TestAppContext } from './app-context';
import { sqlRows } from './sql';

const VERSIONED_INTENTS = new Set(['tele-status', 'month-to-update']);

/** The id of the client's newest tele history row, 0 for none: the forms' version token (decision 045). */
export async function latestTeleHistoryId(client: Client, clientId: number): Promise<number> {
  const [row] = await sqlRows(client, 'SELECT max(id) AS id FROM client_tele_history WHERE client_id = ?', [clientId]);
  return Number(row?.id ?? 0);
}

/**
 * One user signed in once; posts forms to and opens the client page. `post` sends the tele forms as
 * a freshly loaded page would: based on the newest tele history row unless the fields name a base;
 * `postAsIs` sends exactly the fields given.
 */
export async function asUser(ctx: TestAppContext, email: string) {
  const { cookie, userId } = await startTestSession(ctx, email);
  const postAsIs = (clientId: number, fields: Record<string, string>) =>
    callRoute(action, ctx, requestWithCookie(cookie, `/clients/${clientId}`, formInit(fields)), { id: String(clientId) });
  return {
    userId,
    postAsIs,
    post: async (clientId: number, fields: Record<string, string>) => {
      const based =
        VERSIONED_INTENTS.has(fields.intent) && !('baseTeleHistoryId' in fields)
          ? { ...fields, baseTeleHistoryId: String(await latestTeleHistoryId(ctx.db.$client, clientId)) }
          : fields;
      return postAsIs(clientId, based);
    },
    view: (clientId: number) => callRoute(loader, ctx, requestWithCookie(cookie, `/clients/${clientId}`), { id: String(clientId) }),
  };
}

/** The first live client of a branch matching an extra condition on `c` (clients). */
export async function clientOf(client: Client, branch: string, extra = '1 = 1', args: InValue[] = []): Promise<number> {
  const [row] = await sqlRows(
    client,
    `SELECT c.id FROM clients c JOIN branches b ON b.id = c.branch_id
     WHERE b.code = ? AND c.deleted_at IS NULL AND c.is_active = 1 AND ${extra} ORDER BY c.id LIMIT 1`,
    [branch, ...args],
  );
  if (!row) throw new Error(`no client of ${branch} with ${extra}`);
  return Number(row.id);
}

export const TELE_TABLES = ['client_tele_history', 'job_queue', 'activity_logs'] as const;

/** The client's row and the whole tele/job/activity tables, as JSON text built by SQLite. */
export async function teleSnapshot(client: Client, clientId: number): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  out.client = JSON.stringify(await sqlRows(client, 'SELECT * FROM clients WHERE id = ?', [clientId]));
  for (const table of TELE_TABLES) {
    out[table] = JSON.stringify(await sqlRows(client, `SELECT * FROM ${table} ORDER BY id`));
  }
  return out;
}

export async function expectTeleUnchanged(client: Client, clientId: number, before: Record<string, string>) {
  const after = await teleSnapshot(client, clientId);
  for (const key of Object.keys(before)) {
    if (after[key] !== before[key]) expect({ [key]: JSON.parse(after[key]) }).toEqual({ [key]: JSON.parse(before[key]) });
  }
}

export async function teleColumns(client: Client, clientId: number) {
  const [row] = await sqlRows(client, 'SELECT tele_status, update_status, pointer, month_to_update FROM clients WHERE id = ?', [clientId]);
  return row;
}

export function historyOf(client: Client, clientId: number) {
  return sqlRows(client, 'SELECT * FROM client_tele_history WHERE client_id = ? ORDER BY id', [clientId]);
}

/** What the NextBank service does to a delivered command (its side of docs/integrations/tele-outbox.md). */
export async function serviceMarks(client: Client, historyId: number, status: 'sent' | 'confirmed' | 'failed', error: string | null = null) {
  await client.execute({
    sql: `UPDATE client_tele_history SET nextbank_status = ?, error = ?, nextbank_response = ? WHERE id = ?`,
    args: [status, error, status === 'failed' ? JSON.stringify({ status: 503, body: 'unavailable' }) : null, historyId],
  });
}
