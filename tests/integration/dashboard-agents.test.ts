// Dashboard completion per agent (domain.md "Reports"): agent = the user who last updated the row in
// the period, completion = done ÷ the rows they last updated; scoped like the rest of the dashboard,
// cached per (company, period, scope) and refreshed by a status write.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyStatusUpdate } from '../../app/core/status/apply-status-update.server';
import { periodOf } from '../../app/core/status/periods';
import { loader } from '../../app/routes/_index';
import { callRoute, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';
import { findPeriodRow, reasonIdOf, statusIdOf, whoIs } from '../support/status';
import { createTestUser } from '../support/user-factory';

let t: TestDb;
let ctx: TestAppContext;
let MONTH: string;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
  MONTH = periodOf('monthly', ctx.clock.now()).key;
});
afterEach(() => t.close());

async function dashboardAs(email: string) {
  const { cookie } = await startTestSession(ctx, email);
  return callRoute(loader, ctx, requestWithCookie(cookie, '/?company=fcash'), {});
}

/** Per agent from plain SQL over FCASH monthly rows of the month (optionally one branch). */
async function sqlAgents(branch?: string) {
  const rows = await sqlRows(
    t.client,
    `SELECT s.last_updated_by AS user_id, u.full_name AS name, count(*) AS touched, sum(st.code = 'DONE') AS done
     FROM client_period_status s JOIN clients c ON c.id = s.client_id JOIN products p ON p.id = c.product_id
     JOIN companies co ON co.id = c.company_id JOIN branches b ON b.id = c.branch_id JOIN status_types st ON st.id = s.status_type_id
     LEFT JOIN users u ON u.id = s.last_updated_by
     WHERE s.period_key = ? AND co.code = 'FCASH' AND p.tracking_cycle = 'monthly' ${branch ? 'AND b.code = ?' : ''}
     GROUP BY s.last_updated_by`,
    branch ? [MONTH, branch] : [MONTH],
  );
  const agents = rows
    .filter((r) => r.user_id !== null)
    .map((r) => ({
      userId: Number(r.user_id),
      name: String(r.name),
      touched: Number(r.touched),
      done: Number(r.done),
      pct: Math.round((Number(r.done) * 1000) / Number(r.touched)) / 10,
    }));
  const unassigned = Number(rows.find((r) => r.user_id === null)?.touched ?? 0);
  return { agents, unassigned };
}
const byUser = (list: Array<{ userId: number }>) => [...list].sort((a, b) => a.userId - b.userId);

describe('dashboard: completion per agent', () => {
  it('matches SQL for the admin (whole company), best completion first', async () => {
    const answer = await dashboardAs('admin@demo.test');
    expect(answer.status).toBe(200);
    const d = answer.data.dashboard;
    const expected = await sqlAgents();
    expect(expected.agents.length).toBeGreaterThan(1); // the seed spreads updates over several users
    expect(byUser(d.agents)).toEqual(byUser(expected.agents));
    expect(d.unassigned).toBe(expected.unassigned);
    expect(d.agents.reduce((a: number, x: { touched: number }) => a + x.touched, 0) + d.unassigned).toBe(d.total);
    const pcts = d.agents.map((a: { pct: number }) => a.pct);
    expect(pcts).toEqual([...pcts].sort((a, b) => b - a));
  });

  it('is scoped: the branch officer sees only the agents of MNLA01 rows, with MNLA01 counts', async () => {
    const answer = await dashboardAs('branch.mnla01@demo.test');
    expect(answer.status).toBe(200);
    const expected = await sqlAgents('MNLA01');
    expect(byUser(answer.data.dashboard.agents)).toEqual(byUser(expected.agents));
    expect(answer.data.dashboard.unassigned).toBe(expected.unassigned);
  });

  it('a status write by a new agent shows that agent on the next view (cache refreshed)', async () => {
    const newcomer = 'agent.newcomer@dash.test';
    const userId = await createTestUser(t.client, {
      email: newcomer,
      fullName: 'Nena Newcomer',
      branches: ['MNLA01'],
      grants: [
        ['clients:read', 'FCASH', 'branch'],
        ['status:read', 'FCASH', 'branch'],
        ['status:update', 'FCASH', 'branch'],
      ],
    });
    const before = (await dashboardAs('branch.mnla01@demo.test')).data.dashboard;
    expect(before.agents.map((a: { userId: number }) => a.userId)).not.toContain(userId);
    const row = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'PENDING' });
    const result = await applyStatusUpdate(
      ctx,
      await whoIs(ctx, newcomer),
      { clientId: row.clientId, periodKey: MONTH },
      {
        statusTypeId: await statusIdOf(t.client, 'DONE'),
        reasonId: await reasonIdOf(t.client, 'DONE', 'CONFIRMED'),
        remarks: null,
        hasPayment: true,
        baseVersion: row.version,
      },
    );
    expect(result.ok).toBe(true);
    const after = (await dashboardAs('branch.mnla01@demo.test')).data.dashboard;
    expect(after.agents.find((a: { userId: number }) => a.userId === userId)).toEqual({ userId, name: 'Nena Newcomer', touched: 1, done: 1, pct: 100 });
    expect(byUser(after.agents)).toEqual(byUser((await sqlAgents('MNLA01')).agents));
  });
});
