// The performance screen (/reports, issue 12 part 1) on a real libSQL copy of the seeded base: its
// figures come from the service's snapshots and equal the dashboard's and the workspace's counts for
// the same scope and period; scope and filters; sorting; the refresh action (one job, debounced).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { action, loader } from '../../app/routes/reports._index';
import { loader as dashboardLoader } from '../../app/routes/_index';
import { loader as workspaceLoader } from '../../app/routes/workspace.$company/route';
import { applyStatusUpdate } from '../../app/core/status/apply-status-update.server';
import { REFRESH_DEBOUNCE_MS } from '../../app/core/reports/snapshot-refresh.server';
import { periodOf, shiftPeriod } from '../../app/core/status/periods';
import { refreshPerformanceSnapshots } from '../../service/maintenance/performance-snapshots';
import { callRoute, requestWithCookie, startTestSession, testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { redirectOf } from '../support/flash';
import { idByCode, sqlRows } from '../support/sql';
import { findPeriodRow, reasonIdOf, statusIdOf, whoIs } from '../support/status';

const ADMIN = 'admin@demo.test';
const AREA = 'area.ncr@demo.test'; // area_manager FCASH/NCR + PCNI/NCR
const OFFICER = 'branch.mnla01@demo.test'; // FCASH MNLA01
const TELE = 'tele.fcash@demo.test'; // no reports:read

let t: TestDb;
let ctx: TestAppContext;
let MONTH: ReturnType<typeof periodOf>;
let QUARTER: ReturnType<typeof periodOf>;

/** What the service does: compute the snapshots of the periods (the current ones and the trend's). */
async function computeSnapshots(periods = [...Array.from({ length: 6 }, (_, i) => shiftPeriod(MONTH, -i)), QUARTER]) {
  for (const p of periods) await refreshPerformanceSnapshots(t.db, p, ctx.clock.now());
}

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
  MONTH = periodOf('monthly', ctx.clock.now());
  QUARTER = periodOf('quarterly', ctx.clock.now());
});
afterEach(() => t.close());

async function as(email: string) {
  const { cookie } = await startTestSession(ctx, email);
  return {
    reports: (query = '') => callRoute(loader, ctx, requestWithCookie(cookie, `/reports${query}`)),
    dashboard: (query = '') => callRoute(dashboardLoader, ctx, requestWithCookie(cookie, `/${query}`)),
    workspace: (company: string, query = '') => callRoute(workspaceLoader, ctx, requestWithCookie(cookie, `/workspace/${company}${query}`), { company }),
    post: (fields: Record<string, string>, headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }) =>
      callRoute(action, ctx, requestWithCookie(cookie, '/reports', { method: 'POST', headers, body: new URLSearchParams(fields).toString() })),
  };
}

type Row = {
  id: number | null;
  label: string;
  total: number;
  contacted: number;
  updated: number;
  completed: number;
  conversionRate: number;
  payments: number;
  terminal: number;
  behind: boolean | null;
};

const CONTACTED = ['CALLED', 'VISITED', 'UPDATED', 'DONE'];
const UPDATED = ['UPDATED', 'DONE'];

describe('/reports: the same figures as the dashboard and the workspace', () => {
  it('area manager, FCASH, current month: totals, per branch and per agent equal the dashboard; per branch equal the workspace counts', async () => {
    await computeSnapshots();
    const area = await as(AREA);
    const report = await area.reports('?company=fcash');
    expect(report.status).toBe(200);
    expect(report.data.period.key).toBe(MONTH.key);
    const rows: Row[] = report.data.report.rows;
    const totals = report.data.report.totals;
    expect(rows.length).toBeGreaterThan(1);

    const dash = (await area.dashboard('?company=fcash')).data.dashboard;
    const count = (codes: string[]) => dash.statuses.filter((s: any) => codes.includes(s.code)).reduce((a: number, s: any) => a + s.count, 0);
    expect(totals.total).toBe(dash.total);
    expect(totals.completed).toBe(count(['DONE']));
    expect(totals.contacted).toBe(count(CONTACTED));
    expect(totals.updated).toBe(count(UPDATED));
    expect(totals.payments).toBe(dash.payments);
    expect(totals.terminal).toBe(dash.terminal);
    // Every branch the dashboard ranks (top and bottom 10) has the same clients, done and completion here.
    const byCode = new Map(rows.map((r) => [r.label, r]));
    for (const b of [...dash.branchesTop, ...dash.branchesBottom]) {
      expect(byCode.get(b.code), b.code).toMatchObject({ total: b.total, completed: b.done, conversionRate: b.pct });
    }
    // The dashboard ranks 20 at most; the screen lists every branch, and they add up to the dashboard's total.
    expect(rows.length).toBeGreaterThanOrEqual(new Set([...dash.branchesTop, ...dash.branchesBottom].map((b: any) => b.code)).size);
    expect(rows.reduce((a, r) => a + r.total, 0)).toBe(dash.total);

    // The workspace of each branch: its list total and its count at DONE.
    const done = await statusIdOf(t.client, 'DONE');
    for (const r of rows) {
      const ws = await area.workspace('fcash', `?branch=${r.id}&period=${MONTH.key}`);
      expect(ws.status).toBe(200);
      expect(ws.data.list.total, r.label).toBe(r.total);
      expect(ws.data.list.counts[String(done)] ?? 0, r.label).toBe(r.completed);
    }

    // Per agent: the dashboard's "completion per agent" and its "not updated by anyone yet".
    const agents = (await area.reports('?company=fcash&view=agent')).data.report;
    const named: Row[] = agents.rows.filter((r: Row) => r.id !== null);
    expect(named.length).toBe(dash.agents.length);
    for (const a of dash.agents) {
      expect(
        named.find((r) => r.id === a.userId),
        a.name,
      ).toMatchObject({ label: a.name, total: a.touched, completed: a.done, conversionRate: a.pct });
    }
    const nobody = agents.rows.find((r: Row) => r.id === null);
    expect(nobody?.label).toBe('Not yet updated');
    expect(nobody?.total).toBe(dash.unassigned);
    expect(agents.rows.at(-1).id).toBeNull();
    expect(agents.totals).toEqual(totals);
  });

  it('PCNI PNP: the quarter, equal to the dashboard of the PNP segment', async () => {
    await computeSnapshots();
    const admin = await as(ADMIN);
    const report = await admin.reports('?company=pcni&segment=pnp');
    expect(report.data.period.key).toBe(QUARTER.key);
    const dash = (await admin.dashboard('?company=pcni&segment=pnp')).data.dashboard;
    expect(report.data.report.totals).toMatchObject({ total: dash.total, payments: dash.payments, terminal: dash.terminal });
    expect(report.data.report.totals.completed).toBe(dash.statuses.find((s: any) => s.code === 'DONE').count);
    // Switching the segment keeps the period's time: the month becomes its quarter.
    expect((await admin.reports(`?company=pcni&segment=pnp&period=${MONTH.key}`)).data.period.key).toBe(QUARTER.key);
  });

  it('conversion = completed ÷ total × 100 with one decimal, from the counts; behind-schedule as decision 076', async () => {
    await computeSnapshots();
    const report = (await (await as(ADMIN)).reports('?company=fcash')).data.report;
    for (const r of report.rows as Row[]) {
      expect(r.conversionRate).toBe(Math.round((r.completed * 1000) / r.total) / 10);
      // 15 Nov 10:00 Manila: 48.1 % of November is gone; behind = under 38.1 % done.
      const elapsed = (Date.parse('2026-11-15T02:00:00Z') - Date.parse('2026-10-31T16:00:00Z')) / (30 * 86_400_000);
      expect(r.behind, r.label).toBe((r.completed / r.total) * 100 < elapsed * 100 - 10);
    }
    expect(report.expectedPct).toBe(48.1);
    expect(report.computedAt).toBe(ctx.clock.now().getTime());
  });

  it('the trend: the last 6 months, each equal to a GROUP BY over the scope', async () => {
    await computeSnapshots();
    const trend = (await (await as(OFFICER)).reports('?company=fcash')).data.report.trend;
    expect(trend.map((p: any) => p.key)).toEqual(['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);
    for (const p of trend) {
      const [row] = await sqlRows(
        t.client,
        `SELECT count(*) AS total, sum(st.code = 'DONE') AS done FROM client_period_status s JOIN branches b ON b.id = s.branch_id
         JOIN status_types st ON st.id = s.status_type_id WHERE s.period_key = ? AND b.code = 'MNLA01'`,
        [p.key],
      );
      expect(p, p.key).toMatchObject({ total: Number(row.total), completed: Number(row.done), computed: true });
    }
  });

  it('before the service computed anything the page says so', async () => {
    const data = (await (await as(ADMIN)).reports()).data;
    expect(data.report.computedAt).toBeNull();
    expect(data.report.rows).toEqual([]);
    expect(data.report.trend.every((p: any) => !p.computed)).toBe(true);
  });
});

describe('/reports: scope, filters and sorting', () => {
  it('the area manager sees only the branches of their areas; the officer only MNLA01', async () => {
    await computeSnapshots();
    const rows: Row[] = (await (await as(AREA)).reports('?company=fcash')).data.report.rows;
    const territory = await sqlRows(
      t.client,
      `SELECT DISTINCT b.id FROM user_areas ua JOIN users u ON u.id = ua.user_id JOIN area_branches ab ON ab.area_id = ua.area_id
       JOIN branches b ON b.id = ab.branch_id JOIN companies c ON c.id = b.company_id
       WHERE u.email = ? AND c.code = 'FCASH' AND b.id IN (SELECT branch_id FROM client_period_status WHERE period_key = ?)`,
      [AREA, MONTH.key],
    );
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(territory.map((r) => Number(r.id))));
    const officer: Row[] = (await (await as(OFFICER)).reports('?company=fcash')).data.report.rows;
    expect(officer.map((r) => r.label)).toEqual(['MNLA01']);
  });

  it('a branch or area outside the reach is 404 like an unknown id; a malformed one 400; a company not held 404', async () => {
    await computeSnapshots();
    const area = await as(AREA);
    const branch = (code: string) => idByCode(t.client, 'branches', code);
    expect((await area.reports(`?company=fcash&branch=${await branch('CEBU01')}`)).status).toBe(404);
    expect((await area.reports('?company=fcash&branch=987654321')).status).toBe(404);
    expect((await area.reports('?company=fcash&branch=abc')).status).toBe(400);
    const r7 = await sqlRows(t.client, "SELECT a.id FROM areas a JOIN companies c ON c.id = a.company_id WHERE a.code = 'R7' AND c.code = 'FCASH'");
    expect((await area.reports(`?company=fcash&area=${r7[0].id}`)).status).toBe(404);
    expect((await (await as(OFFICER)).reports('?company=pcni')).status).toBe(404);
    // The branch filter narrows to that branch; one of the reader's other company is dropped (company switched).
    const qzn = await branch('QZN01');
    const one = (await area.reports(`?company=fcash&branch=${qzn}`)).data;
    expect(one.report.rows.map((r: Row) => r.label)).toEqual(['QZN01']);
    const switched = await area.reports(`?company=pcni&branch=${qzn}`);
    expect(switched.status).toBe(200);
    expect(switched.data.filters.branch).toBeUndefined();
  });

  it('the area filter keeps the branches linked to that area, inside the scope', async () => {
    await computeSnapshots();
    const [ncr] = await sqlRows(t.client, "SELECT a.id FROM areas a JOIN companies c ON c.id = a.company_id WHERE a.code = 'NCR' AND c.code = 'FCASH'");
    const data = (await (await as(ADMIN)).reports(`?company=fcash&area=${ncr.id}`)).data;
    const linked = await sqlRows(t.client, 'SELECT b.code FROM area_branches ab JOIN branches b ON b.id = ab.branch_id WHERE ab.area_id = ?', [Number(ncr.id)]);
    expect(new Set(data.report.rows.map((r: Row) => r.label))).toEqual(new Set(linked.map((r) => String(r.code))));
    expect(data.options.branches.map((b: any) => b.code).sort()).toEqual(linked.map((r) => String(r.code)).sort());
  });

  it('sorts by any column, both ways, the name breaking ties; unknown sorts fall back to conversion', async () => {
    await computeSnapshots();
    const admin = await as(ADMIN);
    const asc: Row[] = (await admin.reports('?company=fcash&sort=total&dir=asc')).data.report.rows;
    for (let i = 1; i < asc.length; i++) expect(asc[i - 1].total <= asc[i].total).toBe(true);
    const desc: Row[] = (await admin.reports('?company=fcash&sort=total&dir=desc')).data.report.rows;
    for (let i = 1; i < desc.length; i++) expect(desc[i - 1].total >= desc[i].total).toBe(true);
    const fallback = (await admin.reports('?company=fcash&sort=drop+table')).data;
    expect([fallback.sort, fallback.dir]).toEqual(['conversionRate', 'desc']);
  });
});

describe('/reports: asking for a refresh', () => {
  const jobs = () => sqlRows(t.client, "SELECT id, payload, status, priority FROM job_queue WHERE queue = 'performance' ORDER BY id");

  it('queues one performance job for the period; a second ask within the debounce queues nothing', async () => {
    const area = await as(AREA);
    const first = await area.post({ intent: 'refresh', company: 'fcash', period: MONTH.key, view: 'agent' });
    expect(redirectOf(first).location).toBe(`/reports?company=fcash&period=${MONTH.key}&view=agent`);
    expect(redirectOf(first).flash).toContain('queued');
    expect((await jobs()).map((j) => JSON.parse(String(j.payload)))).toEqual([{ periodKey: MONTH.key }]);
    const [log] = await sqlRows(t.client, "SELECT action, resource_id FROM activity_logs WHERE action = 'performance.refresh'");
    expect(log).toBeDefined();

    const again = await area.post({ intent: 'refresh', company: 'fcash', period: MONTH.key });
    expect(again.status).toBe(302);
    expect(redirectOf(again).flash).toContain('on its way');
    expect(await jobs()).toHaveLength(1);
    // The page shows the waiting refresh.
    expect((await area.reports('?company=fcash')).data.refresh).toMatchObject({ status: 'pending' });

    // Once that job ran and the debounce is over, a new ask queues again.
    await t.client.execute("UPDATE job_queue SET status = 'done' WHERE queue = 'performance'");
    ctx.clock.advance(REFRESH_DEBOUNCE_MS + 1_000);
    await area.post({ intent: 'refresh', company: 'fcash', period: MONTH.key });
    expect(await jobs()).toHaveLength(2);
  });

  it('a bad body is a 4xx and changes nothing; without reports:read it is 403', async () => {
    const area = await as(AREA);
    expect((await area.post({ intent: 'explode', company: 'fcash', period: MONTH.key })).status).toBe(400);
    expect((await area.post({ intent: 'refresh', company: 'fcash' })).status).toBe(400);
    expect((await area.post({ intent: 'refresh', company: 'fcash', period: '2019-01' })).status).toBe(400);
    expect((await area.post({ intent: 'refresh', company: 'fcash', period: 'nope' })).status).toBe(400);
    expect((await area.post({ intent: 'refresh', company: 'fcash', period: MONTH.key }, { 'content-type': 'application/json' })).status).toBe(415);
    expect((await (await as(OFFICER)).post({ intent: 'refresh', company: 'pcni', period: MONTH.key })).status).toBe(404);
    expect((await (await as(TELE)).post({ intent: 'refresh', company: 'fcash', period: MONTH.key })).status).toBe(403);
    expect(await jobs()).toEqual([]);
  });

  it('after a status write and a refresh, the figure moves with the dashboard', async () => {
    await computeSnapshots([MONTH]);
    const admin = await as(ADMIN);
    const before = (await admin.reports('?company=fcash')).data.report.totals;
    const officer = await whoIs(ctx, OFFICER);
    const row = await findPeriodRow(t.client, { branch: 'MNLA01', periodKey: MONTH.key, status: 'PENDING' });
    const result = await applyStatusUpdate(
      ctx,
      officer,
      { clientId: row.clientId, periodKey: MONTH.key },
      {
        statusTypeId: await statusIdOf(t.client, 'DONE'),
        reasonId: await reasonIdOf(t.client, 'DONE', 'CONFIRMED'),
        remarks: null,
        hasPayment: true,
        baseVersion: row.version,
      },
    );
    expect(result.ok).toBe(true);
    ctx.clock.advance(60_000);
    await computeSnapshots([MONTH]);
    const after = (await admin.reports('?company=fcash')).data.report.totals;
    expect(after.completed).toBe(before.completed + 1);
    const dash = (await admin.dashboard('?company=fcash')).data.dashboard;
    expect(after.completed).toBe(dash.statuses.find((s: any) => s.code === 'DONE').count);
    expect(after.payments).toBe(dash.payments);
  });
});

describe('/reports: the Export link carries the screen', () => {
  it("holds the view, company id, period and branch; the request screen's parser accepts them", async () => {
    const { parseExportRequest } = await import('../../app/core/exports/export-request-form.server');
    const manager = await as(AREA);
    const page = await manager.reports('?view=branch');
    expect(page.status).toBe(200);
    const href = new URL(page.data.exportHref, 'http://x');
    expect(href.pathname).toBe('/reports/exports');
    expect(Object.fromEntries(href.searchParams)).toEqual({ type: 'branch_performance', company: expect.stringMatching(/^\d+$/), period: MONTH.key });
    const agents = new URL((await manager.reports('?view=agent')).data.exportHref, 'http://x');
    expect(agents.searchParams.get('type')).toBe('agent_performance');
    const parsed = parseExportRequest({ ...Object.fromEntries(href.searchParams), format: 'xlsx' }, ctx.clock.now());
    expect(parsed).toMatchObject({ ok: true, kind: 'branch_performance', filters: { period: MONTH.key } });
  });

  it('is not offered without reports:export', async () => {
    const officer = await as(OFFICER);
    const page = await officer.reports();
    expect(page.status).toBe(200);
    expect(page.data.exportHref).toBeNull();
  });
});
