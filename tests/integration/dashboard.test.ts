// The dashboard (/): figures equal direct SQL over the scope, shares have one decimal, the cache
// serves repeat views and a status write invalidates it, users without reports:read go elsewhere.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loader } from '../../app/routes/_index';
import { applyStatusUpdate } from '../../app/core/status/apply-status-update.server';
import { periodOf } from '../../app/core/status/periods';
import { callRoute, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';
import { findPeriodRow, reasonIdOf, statusIdOf, whoIs } from '../support/status';

let t: TestDb;
let ctx: TestAppContext;
let MONTH: string;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
  MONTH = periodOf('monthly', ctx.clock.now()).key;
});
afterEach(() => t.close());

async function dashboardAs(email: string, query = '') {
  const { cookie } = await startTestSession(ctx, email);
  return callRoute(loader, ctx, requestWithCookie(cookie, `/${query}`), {});
}

/** Status counts for FCASH monthly rows of the period, optionally for one branch, straight from SQL. */
async function sqlCounts(branch?: string) {
  const rows = await sqlRows(
    t.client,
    `SELECT st.code AS code, count(*) AS n, sum(s.has_payment) AS paid, sum(s.is_terminal) AS term
     FROM client_period_status s JOIN clients c ON c.id = s.client_id JOIN products p ON p.id = c.product_id
     JOIN companies co ON co.id = c.company_id JOIN branches b ON b.id = c.branch_id JOIN status_types st ON st.id = s.status_type_id
     WHERE s.period_key = ? AND co.code = 'FCASH' AND p.tracking_cycle = 'monthly' ${branch ? 'AND b.code = ?' : ''}
     GROUP BY st.code`,
    branch ? [MONTH, branch] : [MONTH],
  );
  const counts = Object.fromEntries(rows.map((r) => [String(r.code), Number(r.n)]));
  const total = rows.reduce((a, r) => a + Number(r.n), 0);
  return {
    counts,
    total,
    payments: rows.reduce((a, r) => a + Number(r.paid), 0),
    terminal: rows.reduce((a, r) => a + Number(r.term), 0),
  };
}

describe('dashboard', () => {
  it('shows the admin every FCASH client of the month, counts and one-decimal shares as SQL has them', async () => {
    const answer = await dashboardAs('admin@demo.test', '?company=fcash');
    expect(answer.status).toBe(200);
    const d = answer.data.dashboard;
    const expected = await sqlCounts();
    expect(d.total).toBe(expected.total);
    expect(d.payments).toBe(expected.payments);
    expect(d.terminal).toBe(expected.terminal);
    for (const s of d.statuses) {
      expect(s.count).toBe(expected.counts[s.code] ?? 0);
      expect(s.share).toBe(Math.round(((expected.counts[s.code] ?? 0) * 1000) / expected.total) / 10);
    }
    expect(d.statuses.map((s: { code: string }) => s.code)).toContain('VISITED'); // FCASH workflow
    expect(d.branchesTop.length).toBeLessThanOrEqual(10);
    expect(d.pensionTypes.reduce((a: number, p: { total: number }) => a + p.total, 0)).toBe(expected.total);
  });

  it('is scoped: the branch officer sees MNLA01 only', async () => {
    const answer = await dashboardAs('branch.mnla01@demo.test');
    expect(answer.status).toBe(200);
    const expected = await sqlCounts('MNLA01');
    expect(answer.data.dashboard.total).toBe(expected.total);
    expect(answer.data.dashboard.branchesTop.map((b: { code: string }) => b.code)).toEqual(['MNLA01']);
  });

  it('PCNI PNP is quarterly and has no VISITED', async () => {
    const answer = await dashboardAs('admin@demo.test', '?company=pcni&segment=pnp');
    expect(answer.status).toBe(200);
    expect(answer.data.period.key).toMatch(/^\d{4}-Q[1-4]$/);
    expect(answer.data.dashboard.statuses.map((s: { code: string }) => s.code)).not.toContain('VISITED');
  });

  it('a cached dashboard is replaced after a status write in its scope', async () => {
    const before = await dashboardAs('branch.mnla01@demo.test');
    const row = await findPeriodRow(t.client, { periodKey: MONTH, branch: 'MNLA01', status: 'PENDING' });
    // A write behind the app's back is not seen: the figures come from the cache.
    await t.client.execute({ sql: 'UPDATE client_period_status SET has_payment = 1 - has_payment WHERE id = ?', args: [row.id] });
    expect((await dashboardAs('branch.mnla01@demo.test')).data.dashboard).toEqual(before.data.dashboard);
    // A status update through the app starts a new dashboard generation.
    const who = await whoIs(ctx, 'branch.mnla01@demo.test');
    const result = await applyStatusUpdate(
      ctx,
      who,
      { clientId: row.clientId, periodKey: MONTH },
      {
        statusTypeId: await statusIdOf(t.client, 'CALLED'),
        reasonId: await reasonIdOf(t.client, 'CALLED', 'NO_ANSWER'),
        remarks: null,
        hasPayment: false,
        baseVersion: row.version,
      },
    );
    expect(result.ok).toBe(true);
    const after = (await dashboardAs('branch.mnla01@demo.test')).data.dashboard;
    const pending = (d: typeof after) => d.statuses.find((s: { code: string }) => s.code === 'PENDING').count;
    expect(pending(after)).toBe(pending(before.data.dashboard) - 1);
    expect(after).toEqual({ ...after, total: (await sqlCounts('MNLA01')).total });
  });

  it('sends users without reports:read to their workspace; anonymous to sign in', async () => {
    const tele = await dashboardAs('tele.fcash@demo.test');
    expect(tele.status).toBe(302);
    expect(tele.headers.get('location')).toBe('/workspace/fcash');
    const anonymous = await callRoute(loader, ctx, new Request('http://localhost/'), {});
    expect(anonymous.headers.get('location')).toBe('/login?redirectTo=%2F');
  });

  it('a period outside the selectable years is a clear 400', async () => {
    const answer = await dashboardAs('admin@demo.test', '?company=fcash&period=2019-01');
    expect(answer.status).toBe(400);
    expect(answer.data.message).toMatch(/outside the years/);
  });
});
