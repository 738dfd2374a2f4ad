import { and, asc, count, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { branches, clientPeriodStatus, clientStatusCounts, clients, parStatuses, pensionTypes, statusReasons, statusTypes } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { scopeCondition, type StaffScope } from '../access/scope.server';
import { pageCount } from '../paging/paging';
import { clientSearchCondition } from '../search/client-search.server';
import { statusLookups } from '../status/status-lookups.server';
import { workspaceCountConditions } from './workspace-count-conditions.server';
import type { WorkspaceQuery } from './workspace-query.server';
import { BRANCH_ARMS_MAX, branchCountsInOrder, branchSeekIds, statusSeekIds, type StatusOrder, type WorkspaceWhere } from './workspace-sort-seek.server';

// The period key names the cycle ('2026-11' monthly, '2026-Q4' quarterly) and the client carries its
// company, so no join to products or companies is needed: one lookup per period row fewer (bench/RESULTS.md).
/** The workspace list's WHERE (scope, period, filters); the status export (app/core/exports) takes the same. */
export function workspaceConditions(
  scope: StaffScope,
  companyId: number,
  q: Omit<WorkspaceQuery, 'page' | 'pageSize' | 'sort' | 'dir'>,
  withStatus: boolean,
): SQL {
  const parts: (SQL | undefined)[] = [
    eq(clientPeriodStatus.periodKey, q.periodRef.key),
    eq(clients.companyId, companyId),
    isNull(clients.deletedAt),
    scopeCondition(scope, { companyId: clients.companyId, branchId: clients.branchId }),
    withStatus && q.status ? eq(clientPeriodStatus.statusTypeId, q.status) : undefined,
    q.reason ? eq(clientPeriodStatus.statusReasonId, q.reason) : undefined,
    q.branch ? eq(clients.branchId, q.branch) : undefined,
    q.par ? eq(clients.parStatusId, q.par) : undefined,
    q.pensionType ? eq(clients.pensionTypeId, q.pensionType) : undefined,
    q.payment ? eq(clientPeriodStatus.hasPayment, q.payment === 'yes') : undefined,
    q.terminal ? eq(clientPeriodStatus.isTerminal, q.terminal === 'yes') : undefined,
  ];
  if (q.q) parts.push(clientSearchCondition(q.q));
  return and(...parts)!;
}

const sorts = {
  name: clients.fullName,
  code: clients.clientCode,
  branch: branches.code,
  status: statusTypes.sequence,
  updated: clientPeriodStatus.lastUpdatedAt,
} as const;

/**
 * Counts per status with every filter but the status one. The maintained aggregate (decision 100)
 * answers the filters it keys (branch, pension type, payment, terminal); a search, reason or PAR
 * filter counts the matching rows, as before.
 */
async function statusCounts(ctx: AppContext, scope: StaffScope, companyId: number, q: WorkspaceQuery): Promise<Array<{ statusTypeId: number; n: number }>> {
  if (q.q || q.reason || q.par) {
    return ctx.db
      .select({ statusTypeId: clientPeriodStatus.statusTypeId, n: count() })
      .from(clientPeriodStatus)
      .innerJoin(clients, eq(clients.id, clientPeriodStatus.clientId))
      .where(workspaceConditions(scope, companyId, q, false))
      .groupBy(clientPeriodStatus.statusTypeId);
  }
  const csc = clientStatusCounts;
  const rows = await ctx.db
    .select({ statusTypeId: csc.statusTypeId, n: sql<number>`sum(${csc.n})` })
    .from(csc)
    .where(workspaceCountConditions(scope, companyId, q, false))
    .groupBy(csc.statusTypeId)
    .having(sql`sum(${csc.n}) > 0`);
  return rows.map((r) => ({ statusTypeId: r.statusTypeId, n: Number(r.n) }));
}

/** The period's clients in the user's scope, one page, plus the counts per status (other filters applied). */
export async function workspaceList(ctx: AppContext, scope: StaffScope, companyId: number, q: WorkspaceQuery) {
  const base = () =>
    ctx.db
      .select({
        clientId: clients.id,
        clientCode: clients.clientCode,
        fullName: clients.fullName,
        branchCode: branches.code,
        statusTypeId: clientPeriodStatus.statusTypeId,
        statusCode: statusTypes.code,
        statusName: statusTypes.name,
        reasonId: clientPeriodStatus.statusReasonId,
        reasonName: statusReasons.name,
        remarks: clientPeriodStatus.remarks,
        hasPayment: clientPeriodStatus.hasPayment,
        isTerminal: clientPeriodStatus.isTerminal,
        version: clientPeriodStatus.version,
        lastUpdatedAt: clientPeriodStatus.lastUpdatedAt,
        parName: parStatuses.name,
        pensionType: pensionTypes.code,
        companyId: clients.companyId,
        branchId: clients.branchId,
      })
      .from(clientPeriodStatus)
      .innerJoin(clients, eq(clients.id, clientPeriodStatus.clientId))
      .innerJoin(branches, eq(branches.id, clients.branchId))
      .innerJoin(statusTypes, eq(statusTypes.id, clientPeriodStatus.statusTypeId))
      .innerJoin(parStatuses, eq(parStatuses.id, clients.parStatusId))
      .leftJoin(pensionTypes, eq(pensionTypes.id, clients.pensionTypeId))
      .leftJoin(statusReasons, eq(statusReasons.id, clientPeriodStatus.statusReasonId));
  const order = q.dir === 'desc' ? desc(sorts[q.sort]) : asc(sorts[q.sort]);
  // Counts per status apply every filter but the status one, so the list's total is one of them (a
  // status filter) or their sum: no count over the rows.
  const rowsOf = (page: number, walk = false, seek: SQL | null = null) => {
    const arms = branchArms(scope, companyId, q, page) ?? seek;
    const where = walk
      ? and(workspaceConditions(scope, companyId, q, false), sql`+${clientPeriodStatus.statusTypeId} = ${q.status}`)
      : workspaceConditions(scope, companyId, q, true);
    return base()
      .where(and(where, sql`${clients.id} in (select id from (${arms ?? pageIds(where, page)}))`))
      .orderBy(order, asc(clients.id))
      .limit(q.pageSize);
  };
  // The page's ids from the period rows and their clients alone (and what the sort needs): an offset
  // skips bare ids, not rows joined to five lookups (the admin's page 100 at 200k: 17.3 -> 4.8 ms, decision 127).
  const pageIds = (where: SQL | undefined, page: number) => {
    let ids = ctx.db.select({ id: clients.id }).from(clientPeriodStatus).innerJoin(clients, eq(clients.id, clientPeriodStatus.clientId)).$dynamic();
    if (q.sort === 'branch') ids = ids.innerJoin(branches, eq(branches.id, clients.branchId));
    if (q.sort === 'status') ids = ids.innerJoin(statusTypes, eq(statusTypes.id, clientPeriodStatus.statusTypeId));
    // Ties by client: the same order either way (the join makes them equal), but a period-row sort is read
    // in order from an index that ends in client_id only if the tie names that column (decision 128).
    const tie = q.sort === 'updated' ? clientPeriodStatus.clientId : clients.id;
    return ids
      .where(where)
      .orderBy(order, asc(tie))
      .limit(q.pageSize)
      .offset((page - 1) * q.pageSize);
  };
  const totalOf = (counts: Array<{ statusTypeId: number; n: number }>) =>
    q.status ? (counts.find((c) => c.statusTypeId === q.status)?.n ?? 0) : counts.reduce((sum, c) => sum + c.n, 0);
  let counts: Array<{ statusTypeId: number; n: number }>;
  let rows: Awaited<ReturnType<typeof rowsOf>> = [];
  if (ctx.db.$client.protocol === 'file') {
    // On the local file a read is no round trip: the counts go first, and when nothing matches the page
    // is not read. That read walks the company's clients in name order looking for rows of the period:
    // an uninitialized period (every month's first days) or a filter matching none walked all of them,
    // 110-170 ms at 20k clients (issue 13 item 3, decision 107).
    // Sorted by branch or status, the counts per branch or status also say which groups the page falls in (decision 129).
    let statusOrder: StatusOrder | null, branchCounts: Array<{ branchId: number; n: number }> | null;
    [counts, statusOrder, branchCounts] = await Promise.all([
      statusCounts(ctx, scope, companyId, q),
      statusOrderFor(ctx, q),
      q.sort === 'branch' && !clientLevelFilter(q) ? branchCountsInOrder(ctx, scope, companyId, q) : null,
    ]);
    const total = totalOf(counts);
    const page = Math.min(q.page, pageCount(total, q.pageSize));
    const where: WorkspaceWhere = (withStatus) => workspaceConditions(scope, companyId, q, withStatus);
    const seek = () =>
      branchCounts
        ? branchSeekIds(where, q, page, branchCounts)
        : statusOrder && statusSeekIds(where, branchesOf(scope, companyId, q), q, page, statusOrder, counts);
    if (total > 0) rows = await rowsOf(page, walkNamesForStatus(q, page, total, counts), seek());
  } else {
    // The asked page is read beside the counts (one round trip at the edge, decision 103); a page past the end is read again.
    [counts, rows] = await Promise.all([statusCounts(ctx, scope, companyId, q), rowsOf(q.page)]);
  }
  const total = totalOf(counts);
  const pages = pageCount(total, q.pageSize);
  const page = Math.min(q.page, pages);
  if (page !== q.page && ctx.db.$client.protocol !== 'file') rows = await rowsOf(page);
  return { rows, total, page, pageSize: q.pageSize, pages, counts: Object.fromEntries(counts.map((c) => [c.statusTypeId, c.n])) as Record<number, number> };
}

/**
 * A status filter matching many rows (PENDING early in a month: ~45 % of the company) is paged by
 * walking the clients' name index and testing each client's period row, instead of reading every
 * matching row through (period_key, status_type_id) and sorting them (84 ms for an admin's page 1 at
 * 200k against 0.4 ms, decision 127). The walk reads about pageEnd × all / matches clients and the sort
 * about `matches` (each walked entry ~4x a sorted one), so it is taken only when it is the cheaper. `+status_type_id` keeps the
 * planner from starting at the status index; the counts, read first on a file, say how many match.
 */
function walkNamesForStatus(q: WorkspaceQuery, page: number, matches: number, counts: Array<{ n: number }>): boolean {
  if (!q.status || q.sort !== 'name' || clientLevelFilter(q) || q.branch) return false;
  const all = counts.reduce((sum, c) => sum + c.n, 0);
  // A walked entry costs about 4 sorted ones (an index probe of the period row each): page 300 of PENDING at 200k read 16,800 names in 91 ms, the sort 84 ms.
  return 4 * page * q.pageSize * all < matches * matches;
}

/** A search or a filter on the client or its period row other than status and branch: the plain query's own index finds fewer rows than any walk or arm. */
function clientLevelFilter(q: WorkspaceQuery): boolean {
  return Boolean(q.q || q.reason || q.par || q.pensionType || q.payment || q.terminal);
}

/**
 * The status types in workflow order, when the page is sorted by status without a search or a filter on
 * the client or its period row but the status and branch ones (a local file: no extra round trip).
 */
async function statusOrderFor(ctx: AppContext, q: WorkspaceQuery): Promise<StatusOrder | null> {
  if (q.sort !== 'status' || clientLevelFilter(q)) return null;
  const { statuses } = await statusLookups(ctx); // cached, in workflow order
  return statuses.filter((s) => !q.status || s.id === q.status);
}

/** The branches the page's rows can be in: the branch filter, the scope's branches of the company, or all of them. */
function branchesOf(scope: StaffScope, companyId: number, q: WorkspaceQuery): number[] | 'all' {
  if (q.branch) return [q.branch];
  return scope.companies.find((c) => c.companyId === companyId)?.branchIds ?? [];
}

/**
 * The page's client ids for a user of named branches (a tele agent, a branch officer, an area
 * manager) or a branch filter, unfiltered otherwise and sorted by name: one arm per branch, read in
 * name order from clients_live_branch_name_idx and cut at the page's end, merged by SQLite. The plain
 * query let the planner choose, and at 1M clients it chose every row of the branches sorted through
 * a temporary b-tree (286 ms for a tele agent's page 1 against 4.9 ms here; at 200k 3.5 ms either
 * way, bench/RESULTS.md "Growth curve"). `indexed by` holds the plan whatever the statistics say.
 * Null when the plain query is the better one (a search or filter finds fewer rows than a name walk).
 */
function branchArms(scope: StaffScope, companyId: number, q: WorkspaceQuery, page: number): SQL | null {
  if (q.sort !== 'name' || q.dir !== 'asc' || q.status || clientLevelFilter(q)) return null;
  const granted = scope.companies.find((c) => c.companyId === companyId);
  if (!granted) return null;
  const branchIds = q.branch ? (granted.branchIds === 'all' || granted.branchIds.includes(q.branch) ? [q.branch] : []) : granted.branchIds;
  if (branchIds === 'all' || branchIds.length === 0 || branchIds.length > BRANCH_ARMS_MAX) return null;
  const end = page * q.pageSize;
  const arms = branchIds.map(
    (branchId) =>
      sql`select * from (select ${clients.id} as id, ${clients.fullName} as name from ${clients} indexed by clients_live_branch_name_idx
        inner join ${clientPeriodStatus} on ${clientPeriodStatus.clientId} = ${clients.id} and ${clientPeriodStatus.periodKey} = ${q.periodRef.key}
        where ${clients.branchId} = ${branchId} and ${clients.companyId} = ${companyId} and ${clients.deletedAt} is null
        order by ${clients.fullName}, ${clients.id} limit ${end})`,
  );
  return sql`${sql.join(arms, sql` union all `)} order by name, id limit ${q.pageSize} offset ${end - q.pageSize}`;
}
