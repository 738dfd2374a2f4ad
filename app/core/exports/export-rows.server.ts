// The rows of each export kind, read in keyset batches (id order) with the requester's scope: the
// same WHERE as the screen each export comes from (clients list, workspace, activity viewer), so an
// export holds exactly the rows the screen would show that user. Runtime-neutral: the service runs it.
import { and, asc, count, desc, eq, gt, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import {
  activityLogs,
  branches,
  clientPeriodStatus,
  clients,
  companies,
  parStatuses,
  pensionTypes,
  performanceSnapshots,
  products,
  statusReasons,
  statusTypes,
  users,
} from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { scopeCondition, type StaffScope } from '../access/scope.server';
import { activityConditions } from '../audit/activity-query.server';
import { clientListConditions, currentPeriodJoin } from '../clients/list-clients.server';
import { workspaceConditions } from '../workspace/workspace-list.server';
import { parseWorkspaceQuery, workspaceKind } from '../workspace/workspace-query.server';
import type { ExportKind } from './export-kinds';
import type { ExportFilters } from './export-request-form.server';

/** How a writer shows a column: money = integer centavos (a number with the peso format), dates as real dates. */
export type ColumnKind = 'text' | 'int' | 'money' | 'date' | 'datetime' | 'percent' | 'yesno';

export interface ExportColumn {
  header: string;
  kind: ColumnKind;
  /** Characters, for the XLSX column width. */
  width: number;
}

/** One cell's raw value: text, a number (centavos for money, basis points for percent), a date (YYYY-MM-DD text or a Date), a boolean. */
export type CellValue = string | number | boolean | Date | null;

export interface ExportSource {
  columns: ExportColumn[];
  /** Rows expected (for the progress bar). */
  count(): Promise<number>;
  /** The next batch after `after` (the key of the last row read; null to start). */
  batch(after: number | null, limit: number): Promise<{ rows: CellValue[][]; last: number | null }>;
}

const col = (header: string, kind: ColumnKind, width = 14): ExportColumn => ({ header, kind, width });

/** The export's rows for this scope and filters. */
export async function exportSource(ctx: AppContext, kind: ExportKind, scope: StaffScope, filters: ExportFilters): Promise<ExportSource> {
  switch (kind) {
    case 'clients':
      return clientsSource(ctx, scope, filters);
    case 'client_status':
      return statusSource(ctx, scope, filters);
    case 'branch_performance':
      return branchPerformanceSource(ctx, scope, filters);
    case 'agent_performance':
      return agentPerformanceSource(ctx, scope, filters);
    case 'activity':
      return activitySource(ctx, scope, filters);
  }
}

const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function keyset<T extends { key: number }>(rows: T[], toCells: (r: T) => CellValue[]) {
  return { rows: rows.map(toCells), last: rows.length ? rows[rows.length - 1].key : null };
}

function clientsSource(ctx: AppContext, scope: StaffScope, f: ExportFilters): ExportSource {
  const where = clientListConditions(scope, {
    q: str(f.q),
    company: num(f.company),
    branch: num(f.branch),
    product: num(f.product),
    par: num(f.par),
    status: num(f.status),
  });
  const periodJoin = currentPeriodJoin(ctx.clock.now());
  // The ids of one batch, walking clients in id order (`not indexed`: by rowid, from `after` on), so the
  // whole export is one pass over the table. Left to itself the planner took the company's name index and
  // sorted all of the company's clients for every batch of 1,000 (200k clients: 2.9 s a batch, the export
  // quadratic; bench/RESULTS.md "Growth curve"). The joins are the ones the filters may name.
  const clientsPage = (after: number | null, limit: number) =>
    sql`select ${clients.id} from ${clients} not indexed
      join ${products} on ${products.id} = ${clients.productId}
      left join ${clientPeriodStatus} on ${periodJoin}
      where ${where} and ${clients.id} > ${after ?? 0} order by ${clients.id} limit ${limit}`;
  return {
    columns: [
      col('Client code', 'text', 14),
      col('Full name', 'text', 32),
      col('Pension number', 'text', 18),
      col('Birth date', 'date', 12),
      col('Contact number', 'text', 16),
      col('Company', 'text', 9),
      col('Branch', 'text', 10),
      col('Product', 'text', 14),
      col('Pension type', 'text', 12),
      col('PAR status', 'text', 12),
      col('Past due', 'money', 14),
      col('Loan status', 'text', 12),
      col('Active', 'yesno', 8),
      col('Status this period', 'text', 14),
    ],
    async count() {
      const q = f.status
        ? ctx.db.select({ n: count() }).from(clients).innerJoin(products, eq(products.id, clients.productId)).leftJoin(clientPeriodStatus, periodJoin)
        : ctx.db.select({ n: count() }).from(clients);
      const [{ n }] = await q.where(where);
      return n;
    },
    async batch(after, limit) {
      const rows = await ctx.db
        .select({
          key: clients.id,
          code: clients.clientCode,
          name: clients.fullName,
          pension: clients.pensionNumber,
          birth: clients.birthDate,
          contact: clients.contactNumber,
          company: companies.code,
          branch: branches.code,
          product: products.code,
          pensionType: pensionTypes.code,
          par: parStatuses.name,
          pastDue: clients.pastDueCentavos,
          loanStatus: clients.loanStatus,
          active: clients.isActive,
          status: statusTypes.code,
        })
        .from(clients)
        .innerJoin(products, eq(products.id, clients.productId))
        .innerJoin(branches, eq(branches.id, clients.branchId))
        .innerJoin(companies, eq(companies.id, clients.companyId))
        .innerJoin(parStatuses, eq(parStatuses.id, clients.parStatusId))
        .leftJoin(pensionTypes, eq(pensionTypes.id, clients.pensionTypeId))
        .leftJoin(clientPeriodStatus, periodJoin)
        .leftJoin(statusTypes, eq(statusTypes.id, clientPeriodStatus.statusTypeId))
        .where(sql`${clients.id} in (${clientsPage(after, limit)})`)
        .orderBy(asc(clients.id))
        .limit(limit);
      return keyset(rows, (r) => [
        r.code,
        r.name,
        r.pension,
        r.birth,
        r.contact,
        r.company,
        r.branch,
        r.product,
        r.pensionType,
        r.par,
        r.pastDue,
        r.loanStatus,
        r.active,
        r.status,
      ]);
    },
  };
}

async function statusSource(ctx: AppContext, scope: StaffScope, f: ExportFilters): Promise<ExportSource> {
  const wk = workspaceKind(String(f.company), str(f.segment) ?? null);
  if (!wk) throw new Error(`status export: unknown workspace ${String(f.company)}`);
  const parsed = parseWorkspaceQuery(new URLSearchParams(Object.entries(f).map(([k, v]) => [k, String(v)])), wk, ctx.clock.now());
  if (!parsed.ok) throw new Error(`status export: ${parsed.message}`);
  const [company] = await ctx.db.select({ id: companies.id }).from(companies).where(eq(companies.code, wk.companyCode));
  const where = company ? workspaceConditions(scope, company.id, parsed.query, true) : sql`0`;
  const updater = alias(users, 'updater');
  // The period rows of one batch, walking the clients in id order (`not indexed`: by rowid, from `after`)
  // and taking each one's row of the period by the (client, period) index: the export is one pass over the
  // clients, however the period's rows lie in the file. Left to itself the planner walked the company's
  // clients by name and sorted the whole period for every batch of 1,000 (200k: 1.45 s a batch, quadratic);
  // the key is the client id (one row per client and period).
  const statusPage = (after: number | null, limit: number) =>
    sql`select ${clientPeriodStatus.id} from ${clients} not indexed
      join ${clientPeriodStatus} indexed by client_period_status_client_period_uq
        on ${clientPeriodStatus.clientId} = ${clients.id} and ${clientPeriodStatus.periodKey} = ${parsed.query.periodRef.key}
      where ${where} and ${clients.id} > ${after ?? 0} order by ${clients.id} limit ${limit}`;
  return {
    columns: [
      col('Period', 'text', 9),
      col('Client code', 'text', 14),
      col('Full name', 'text', 32),
      col('Branch', 'text', 10),
      col('Pension type', 'text', 12),
      col('PAR status', 'text', 12),
      col('Past due', 'money', 14),
      col('Status', 'text', 12),
      col('Reason', 'text', 22),
      col('Remarks', 'text', 30),
      col('Has payment', 'yesno', 11),
      col('Terminal', 'yesno', 9),
      col('Updates', 'int', 8),
      col('Last updated', 'datetime', 18),
      col('Updated by', 'text', 22),
    ],
    async count() {
      const [{ n }] = await ctx.db.select({ n: count() }).from(clientPeriodStatus).innerJoin(clients, eq(clients.id, clientPeriodStatus.clientId)).where(where);
      return n;
    },
    async batch(after, limit) {
      const rows = await ctx.db
        .select({
          key: clients.id,
          period: clientPeriodStatus.periodKey,
          code: clients.clientCode,
          name: clients.fullName,
          branch: branches.code,
          pensionType: pensionTypes.code,
          par: parStatuses.name,
          pastDue: clients.pastDueCentavos,
          status: statusTypes.code,
          reason: statusReasons.name,
          remarks: clientPeriodStatus.remarks,
          hasPayment: clientPeriodStatus.hasPayment,
          terminal: clientPeriodStatus.isTerminal,
          updates: clientPeriodStatus.updateCount,
          updatedAt: clientPeriodStatus.lastUpdatedAt,
          updatedBy: updater.fullName,
        })
        .from(clientPeriodStatus)
        .innerJoin(clients, eq(clients.id, clientPeriodStatus.clientId))
        .innerJoin(branches, eq(branches.id, clients.branchId))
        .innerJoin(statusTypes, eq(statusTypes.id, clientPeriodStatus.statusTypeId))
        .innerJoin(parStatuses, eq(parStatuses.id, clients.parStatusId))
        .leftJoin(pensionTypes, eq(pensionTypes.id, clients.pensionTypeId))
        .leftJoin(statusReasons, eq(statusReasons.id, clientPeriodStatus.statusReasonId))
        .leftJoin(updater, eq(updater.id, clientPeriodStatus.lastUpdatedBy))
        .where(sql`${clientPeriodStatus.id} in (${statusPage(after, limit)})`)
        .orderBy(asc(clients.id))
        .limit(limit);
      return keyset(rows, (r) => [
        r.period,
        r.code,
        r.name,
        r.branch,
        r.pensionType,
        r.par,
        r.pastDue,
        r.status,
        r.reason,
        r.remarks,
        r.hasPayment,
        r.terminal,
        r.updates,
        r.updatedAt,
        r.updatedBy,
      ]);
    },
  };
}

const PERFORMANCE_COLUMNS = [
  col('Period', 'text', 9),
  col('Company', 'text', 9),
  col('Total', 'int', 9),
  col('Contacted', 'int', 10),
  col('Updated', 'int', 9),
  col('Completed', 'int', 10),
  col('Conversion rate %', 'percent', 16),
  col('Computed at', 'datetime', 18),
];

function branchPerformanceSource(ctx: AppContext, scope: StaffScope, f: ExportFilters): ExportSource {
  const where = and(
    eq(performanceSnapshots.scope, 'branch'),
    eq(performanceSnapshots.periodKey, String(f.period)),
    scopeCondition(scope, { companyId: performanceSnapshots.companyId, branchId: performanceSnapshots.branchId }),
    num(f.company) ? eq(performanceSnapshots.companyId, num(f.company)!) : undefined,
    num(f.branch) ? eq(performanceSnapshots.branchId, num(f.branch)!) : undefined,
  );
  return {
    columns: [...PERFORMANCE_COLUMNS.slice(0, 2), col('Branch', 'text', 10), col('Branch name', 'text', 24), ...PERFORMANCE_COLUMNS.slice(2)],
    async count() {
      const [{ n }] = await ctx.db.select({ n: count() }).from(performanceSnapshots).where(where);
      return n;
    },
    async batch(after, limit) {
      const rows = await ctx.db
        .select({
          key: performanceSnapshots.id,
          period: performanceSnapshots.periodKey,
          company: companies.code,
          branch: branches.code,
          branchName: branches.name,
          total: performanceSnapshots.total,
          contacted: performanceSnapshots.contacted,
          updated: performanceSnapshots.updated,
          completed: performanceSnapshots.completed,
          rate: performanceSnapshots.conversionRateBp,
          at: performanceSnapshots.computedAt,
        })
        .from(performanceSnapshots)
        .innerJoin(companies, eq(companies.id, performanceSnapshots.companyId))
        .innerJoin(branches, eq(branches.id, performanceSnapshots.branchId))
        .where(and(where, after === null ? undefined : gt(performanceSnapshots.id, after)))
        .orderBy(asc(performanceSnapshots.id))
        .limit(limit);
      return keyset(rows, (r) => [r.period, r.company, r.branch, r.branchName, r.total, r.contacted, r.updated, r.completed, r.rate, r.at]);
    },
  };
}

function agentPerformanceSource(ctx: AppContext, scope: StaffScope, f: ExportFilters): ExportSource {
  const where = and(
    eq(performanceSnapshots.scope, 'agent'),
    eq(performanceSnapshots.periodKey, String(f.period)),
    // An agent's row belongs to a branch (decision 092): the same scope rule as the /reports screen.
    scopeCondition(scope, { companyId: performanceSnapshots.companyId, branchId: performanceSnapshots.branchId }),
    num(f.company) ? eq(performanceSnapshots.companyId, num(f.company)!) : undefined,
  );
  return {
    columns: [...PERFORMANCE_COLUMNS.slice(0, 2), col('Agent', 'text', 26), col('Agent email', 'text', 28), ...PERFORMANCE_COLUMNS.slice(2)],
    async count() {
      const [{ n }] = await ctx.db.select({ n: count() }).from(performanceSnapshots).where(where);
      return n;
    },
    async batch(after, limit) {
      const rows = await ctx.db
        .select({
          key: performanceSnapshots.id,
          period: performanceSnapshots.periodKey,
          company: companies.code,
          agent: users.fullName,
          email: users.email,
          total: performanceSnapshots.total,
          contacted: performanceSnapshots.contacted,
          updated: performanceSnapshots.updated,
          completed: performanceSnapshots.completed,
          rate: performanceSnapshots.conversionRateBp,
          at: performanceSnapshots.computedAt,
        })
        .from(performanceSnapshots)
        .innerJoin(companies, eq(companies.id, performanceSnapshots.companyId))
        .innerJoin(users, eq(users.id, performanceSnapshots.userId))
        .where(and(where, after === null ? undefined : gt(performanceSnapshots.id, after)))
        .orderBy(asc(performanceSnapshots.id))
        .limit(limit);
      return keyset(rows, (r) => [r.period, r.company, r.agent, r.email, r.total, r.contacted, r.updated, r.completed, r.rate, r.at]);
    },
  };
}

async function activitySource(ctx: AppContext, scope: StaffScope, f: ExportFilters): Promise<ExportSource> {
  const where = await activityConditions(ctx, scope, {
    user: str(f.user),
    action: str(f.action),
    resource: str(f.resource),
    resourceId: str(f.resourceId),
    q: str(f.q),
    from: str(f.from),
    to: str(f.to),
  });
  return {
    columns: [
      col('Id', 'int', 10),
      col('When', 'datetime', 18),
      col('User', 'text', 28),
      col('Action', 'text', 24),
      col('Resource', 'text', 12),
      col('Resource id', 'text', 12),
      col('IP', 'text', 15),
      col('Request id', 'text', 20),
      col('Details', 'text', 40),
    ],
    async count() {
      const [{ n }] = await ctx.db.select({ n: count() }).from(activityLogs).where(where);
      return n;
    },
    // Newest first, like the viewer: the key walks down.
    async batch(after, limit) {
      const rows = await ctx.db
        .select({
          key: activityLogs.id,
          at: activityLogs.createdAt,
          email: users.email,
          action: activityLogs.action,
          resource: activityLogs.resourceType,
          resourceId: activityLogs.resourceId,
          ip: activityLogs.ip,
          requestId: activityLogs.requestId,
          details: activityLogs.details,
        })
        .from(activityLogs)
        .leftJoin(users, eq(users.id, activityLogs.userId))
        .where(and(where, after === null ? undefined : lt(activityLogs.id, after)))
        .orderBy(desc(activityLogs.id))
        .limit(limit);
      return keyset(rows, (r) => [r.key, r.at, r.email, r.action, r.resource, r.resourceId, r.ip, r.requestId, r.details ? JSON.stringify(r.details) : null]);
    },
  };
}
