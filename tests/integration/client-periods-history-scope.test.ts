// The Periods table on the client page follows the history scope (status:history:read): a tele agent
// whose history is `self` sees past periods only where they wrote the last update, so another
// person's status, reason, remarks and time stay out of reach. The current period stays visible.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loader } from '../../app/routes/clients.$id/route';
import { periodOf } from '../../app/core/status/periods';
import { callRoute, signedInRequest, testContext, userIdByEmail, type TestAppContext } from '../support/app-context';
import { TEST_NOW } from '../support/app-server';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';

let t: TestDb;
let ctx: TestAppContext;
let clientId: number;
const current = periodOf('monthly', new Date(TEST_NOW)).key;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
  const [row] = await sqlRows(
    t.client,
    `SELECT c.id FROM clients c JOIN branches b ON b.id = c.branch_id JOIN client_period_status s ON s.client_id = c.id
     WHERE b.code = 'MNLA01' AND s.period_key = ? ORDER BY c.id LIMIT 1`,
    [current],
  );
  clientId = Number(row.id);
  await t.client.execute({ sql: 'DELETE FROM client_period_status WHERE client_id = ? AND period_key <> ?', args: [clientId, current] });
  const officer = await userIdByEmail(t.db, 'branch.mnla01@demo.test');
  const tele = await userIdByEmail(t.db, 'tele.fcash@demo.test');
  const past = [
    ['2026-08', 8, tele, 'written by the tele agent'],
    ['2026-09', 9, officer, 'written by the branch officer'],
  ] as const;
  for (const [key, month, by, remarks] of past) {
    await t.client.execute({
      sql: `INSERT INTO client_period_status (client_id, company_id, branch_id, period_type, period_year, period_number, period_key, status_type_id, remarks, update_count, last_updated_by, last_updated_at)
            SELECT c.id, c.company_id, c.branch_id, 'monthly', 2026, ?, ?, (SELECT id FROM status_types WHERE code = 'CALLED'), ?, 1, ?, ?
            FROM clients c WHERE c.id = ?`,
      args: [month, key, remarks, by, Date.parse('2026-09-20T02:00:00Z'), clientId],
    });
  }
});
afterEach(() => t.close());

const periodsSeenBy = async (email: string) => {
  const answer = await callRoute(loader, ctx, await signedInRequest(ctx, email, `/clients/${clientId}`), { id: String(clientId) });
  expect(answer.status).toBe(200);
  return answer.data.periods as Array<{ periodKey: string; remarks: string | null }>;
};

describe('Periods table and the history scope', () => {
  it('self scope: the current period and the past periods the reader last updated, nothing written by others', async () => {
    const periods = await periodsSeenBy('tele.fcash@demo.test');
    expect(periods.map((p) => p.periodKey)).toEqual([current, '2026-08']);
    expect(JSON.stringify(periods)).not.toContain('written by the branch officer');
  });

  it('branch scope: every period of the client', async () => {
    const periods = await periodsSeenBy('branch.mnla01@demo.test');
    expect(periods.map((p) => p.periodKey)).toEqual([current, '2026-09', '2026-08']);
  });
});
