// Counts that do not scan (issue 13, decision 100): each screen's counts read from the maintained
// aggregates beside the scan they replaced (the same GROUP BY over the period's rows the code ran
// before), interleaved in the same run; plus the cost the triggers add to one status update.
import type { Client } from '@libsql/client';
import { and, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { branches, clientPeriodStatus, clients, pensionTypes, statusEvents } from '../db/schema';
import type { AppDatabase } from '../db/database';
import { scopeCondition, type StaffScope } from '../app/core/access/scope.server';
import { progressBasis, progressByBranch } from '../app/core/org/progress.server';
import { computeDashboard } from '../app/core/reports/dashboard.server';
import { periodOf } from '../app/core/status/periods';
import { workspaceConditions, workspaceList } from '../app/core/workspace/workspace-list.server';
import { parseWorkspaceQuery, workspaceKind } from '../app/core/workspace/workspace-query.server';
import type { AppContext } from '../app/platform/context';
import { appContext, sample, scopeOf } from './list-loader';
import { fmtInt, fmtMs, summarize, table, type Summary } from './stats';

const cell = (s: Summary) => `${fmtMs(s.p50)} / ${fmtMs(s.p95)}`;

async function compare(ways: Array<() => Promise<unknown>>, n: number): Promise<Summary[]> {
  for (const w of ways) await w();
  const times = ways.map(() => [] as number[]);
  for (let i = 0; i < n; i++) for (const [j, w] of ways.entries()) times[j].push(...(await sample(w, 1)));
  return times.map(summarize);
}

/** The dashboard's two scans before decision 100: every period row grouped, and every event by day. */
function scanDashboard(db: AppDatabase, scope: StaffScope, companyId: number, periodKey: string, done: number) {
  const where: SQL = and(
    eq(clientPeriodStatus.periodKey, periodKey),
    eq(clients.companyId, companyId),
    scopeCondition(scope, { companyId: clients.companyId, branchId: clients.branchId }),
  )!;
  const day = sql<string>`date(${statusEvents.createdAt} / 1000 + 28800, 'unixepoch')`;
  return Promise.all([
    db
      .select({
        s: clientPeriodStatus.statusTypeId,
        p: sql`coalesce(${pensionTypes.code}, '—')`,
        b: branches.code,
        a: clientPeriodStatus.lastUpdatedBy,
        n: sql`count(*)`,
        pay: sql`sum(${clientPeriodStatus.hasPayment})`,
        term: sql`sum(${clientPeriodStatus.isTerminal})`,
      })
      .from(clientPeriodStatus)
      .innerJoin(clients, eq(clients.id, clientPeriodStatus.clientId))
      .innerJoin(branches, eq(branches.id, clients.branchId))
      .leftJoin(pensionTypes, eq(pensionTypes.id, clients.pensionTypeId))
      .where(where)
      .groupBy(clientPeriodStatus.statusTypeId, pensionTypes.code, branches.code, clientPeriodStatus.lastUpdatedBy),
    db
      .select({ day, n: sql`count(*)`, done: sql`sum(case when ${statusEvents.toStatusTypeId} = ${done} then 1 else 0 end)` })
      .from(statusEvents)
      .innerJoin(clientPeriodStatus, eq(clientPeriodStatus.id, statusEvents.periodStatusId))
      .innerJoin(clients, eq(clients.id, clientPeriodStatus.clientId))
      .where(where)
      .groupBy(day),
  ]);
}

export async function benchStatusCounts(opts: { client: Client; db: AppDatabase; today: string; iterations: number; log: (s: string) => void }) {
  const { client, db, log } = opts;
  const ctx: AppContext = appContext(db, opts.today);
  const n = opts.iterations;
  const one = async (q: string) => Number((await client.execute(q)).rows[0][0]);
  const fcash = await one("SELECT id FROM companies WHERE code = 'FCASH'");
  const done = await one("SELECT id FROM status_types WHERE code = 'DONE'");
  const period = periodOf('monthly', ctx.clock.now());
  const kind = workspaceKind('fcash', null)!;
  const rows: Array<Array<string | number>> = [];
  const measure = async (label: string, viaAggregate: () => Promise<unknown>, viaScan: () => Promise<unknown>) => {
    const [a, s] = await compare([viaAggregate, viaScan], n);
    rows.push([label, cell(a), cell(s), `${(s.p50 / a.p50).toFixed(0)}x`]);
    log(`  counts ${label}: aggregate p50 ${fmtMs(a.p50)} ms, scan ${fmtMs(s.p50)} ms`);
  };
  for (const who of [
    { label: 'admin', email: 'admin@demo.test' },
    { label: 'area manager NCR', email: 'area.ncr@demo.test' },
  ]) {
    const scope = await scopeOf(ctx, client, who.email, 'reports:read');
    await measure(
      `dashboard cold (computeDashboard), ${who.label}, FCASH this month`,
      () => computeDashboard(ctx, scope, fcash, 'monthly', period),
      () => scanDashboard(db, scope, fcash, period.key, done),
    );
  }
  for (const who of [
    { label: 'admin, all FCASH', email: 'admin@demo.test' },
    { label: 'tele agent (4 branches)', email: 'tele.fcash@demo.test' },
  ]) {
    const scope = await scopeOf(ctx, client, who.email, 'status:read');
    const parsed = parseWorkspaceQuery(new URLSearchParams(), kind, ctx.clock.now());
    if (!parsed.ok) throw new Error(parsed.message);
    const q = parsed.query;
    const scanCounts = () =>
      db
        .select({ s: clientPeriodStatus.statusTypeId, n: count() })
        .from(clientPeriodStatus)
        .innerJoin(clients, eq(clients.id, clientPeriodStatus.clientId))
        .where(workspaceConditions(scope, fcash, q, false))
        .groupBy(clientPeriodStatus.statusTypeId);
    // The whole workspace page (counts from the aggregate + the page's rows) beside the scan of the counts alone.
    await measure(`workspace page 1 (workspaceList), ${who.label}`, () => workspaceList(ctx, scope, fcash, q), scanCounts);
  }
  const adminScope = await scopeOf(ctx, client, 'admin@demo.test', 'branches:read');
  const basis = await progressBasis(ctx);
  const branchIds = (await client.execute('SELECT id FROM branches WHERE deleted_at IS NULL')).rows.map((r) => Number(r[0]));
  const cps = clientPeriodStatus;
  await measure(
    `branches progress, admin, ${fmtInt(branchIds.length)} branches`,
    () => progressByBranch(ctx, adminScope, basis, branchIds),
    () =>
      db
        .select({ b: cps.branchId, c: cps.periodType, n: sql`count(*)`, d: sql`sum(case when ${cps.statusTypeId} = ${done} then 1 else 0 end)` })
        .from(cps)
        .where(
          and(
            inArray(cps.periodKey, [basis.periods.monthly.key, basis.periods.quarterly.key]),
            scopeCondition(adminScope, { companyId: cps.companyId, branchId: cps.branchId }),
            inArray(cps.branchId, branchIds),
          ),
        )
        .groupBy(cps.branchId, cps.periodType),
  );
  const sizes = (
    await client.execute(
      'SELECT (SELECT count(*) FROM client_status_counts), (SELECT count(*) FROM period_status_counts), (SELECT count(*) FROM status_event_days), (SELECT count(*) FROM client_period_status)',
    )
  ).rows[0];
  return {
    markdown: [
      '### Counts that do not scan (decision 100)',
      '',
      `Aggregate rows: client_status_counts ${fmtInt(Number(sizes[0]))}, period_status_counts ${fmtInt(Number(sizes[1]))}, status_event_days ${fmtInt(Number(sizes[2]))} ` +
        `(for ${fmtInt(Number(sizes[3]))} period rows). Each path beside the scan it replaced (same filters and scope), interleaved, n = ${n}; ms p50 / p95.`,
      '',
      table(['path', 'reads the aggregates', 'the scan it replaced', 'scan vs aggregate (p50)'], rows),
    ].join('\n'),
  };
}
