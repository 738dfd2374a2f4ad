import { and, asc, count, desc, eq, gt, inArray, isNull, lt, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { branches, clientBranchCounts, clientPeriodStatus, clients, parStatuses, products, statusTypes } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { scopeCondition, type StaffScope } from '../access/scope.server';
import { pageCount } from '../paging/paging';
import { clientSearchCondition, clientSearchWalkCondition } from '../search/client-search.server';
import {
  branchScope,
  cappedSearchTotal,
  capTotal,
  pageIdsFromBranches,
  pageIdsFromMatches,
  SORT_MATCHES_MAX,
  searchIdsSource,
  searchMatches,
} from './search-page.server';
import { periodOf } from '../status/periods';
import type { ClientListQuery } from './list-query.server';

export interface ClientListRow {
  id: number;
  clientCode: string;
  fullName: string;
  pensionNumber: string | null;
  branchCode: string;
  productCode: string;
  parCode: string;
  parName: string;
  pastDueCentavos: number;
  statusCode: string | null;
  statusName: string | null;
}

/** The join to each client's row for the current period of its own cycle (month or quarter). */
export function currentPeriodJoin(now: Date): SQL {
  const month = periodOf('monthly', now).key;
  const quarter = periodOf('quarterly', now).key;
  return and(
    eq(clientPeriodStatus.clientId, clients.id),
    eq(clientPeriodStatus.periodKey, sql`case ${products.trackingCycle} when 'quarterly' then ${quarter} else ${month} end`),
  )!;
}

/** The clients list's WHERE (scope and filters); the clients export (app/core/exports) takes the same. */
export function clientListConditions(scope: StaffScope, q: Omit<ClientListQuery, 'page' | 'pageSize' | 'sort' | 'dir'>): SQL {
  const parts: SQL[] = [scopeCondition(scope, { companyId: clients.companyId, branchId: clients.branchId }), isNull(clients.deletedAt)];
  if (q.company) parts.push(eq(clients.companyId, q.company));
  if (q.branch) parts.push(eq(clients.branchId, q.branch));
  if (q.product) parts.push(eq(clients.productId, q.product));
  if (q.par) parts.push(eq(clients.parStatusId, q.par));
  if (q.status) parts.push(eq(clientPeriodStatus.statusTypeId, q.status));
  if (q.q) parts.push(clientSearchCondition(q.q));
  return and(...parts)!;
}

const sortColumns = {
  name: clients.fullName,
  code: clients.clientCode,
  branch: branches.code,
  pastDue: clients.pastDueCentavos,
} as const;

/**
 * One page of the clients in the user's scope, with the total for the pager. The page's ids come
 * from `clients` alone (joining only what the filter or sort needs), and only those rows get their
 * details: joining every lookup before LIMIT made an admin's page sort 200,000 joined rows
 * (bench/RESULTS.md). Without a search the ids are a subquery of the details' query (one round
 * trip over HTTP, decision 103); a search first counts its matches and takes one of decision 105's
 * paths, so its ids come back before their details are read.
 */
export async function clientsInScope(ctx: AppContext, scope: StaffScope, q: ClientListQuery, opts: { searchCountCap?: number } = {}) {
  const where = clientListConditions(scope, q);
  const periodJoin = currentPeriodJoin(ctx.clock.now());
  const order = q.dir === 'desc' ? desc(sortColumns[q.sort]) : asc(sortColumns[q.sort]);

  // A search (without a status filter) takes the paths of decision 105: sort from the matches when they
  // are few, walk names in order when they are many, and count only up to a cap.
  const search = q.q && !q.status ? searchIdsSource(q.q) : null;

  // The ids of a page without a search, as a query (the ids from `clients` alone, joining only what the filter or sort needs).
  const plainIds = (page: number) => {
    let ids = ctx.db.select({ id: clients.id }).from(clients).$dynamic();
    if (q.sort === 'branch') ids = ids.innerJoin(branches, eq(branches.id, clients.branchId));
    if (q.status) ids = ids.innerJoin(products, eq(products.id, clients.productId)).leftJoin(clientPeriodStatus, periodJoin);
    return ids
      .where(where)
      .orderBy(order, asc(clients.id))
      .limit(q.pageSize)
      .offset((page - 1) * q.pageSize);
  };

  const detailsWhere = (ids: SQLWrapper | number[]) =>
    ctx.db
      .select({
        id: clients.id,
        clientCode: clients.clientCode,
        fullName: clients.fullName,
        pensionNumber: clients.pensionNumber,
        branchCode: branches.code,
        productCode: products.code,
        parCode: parStatuses.code,
        parName: parStatuses.name,
        pastDueCentavos: clients.pastDueCentavos,
        statusCode: statusTypes.code,
        statusName: statusTypes.name,
      })
      .from(clients)
      .innerJoin(products, eq(products.id, clients.productId))
      .innerJoin(branches, eq(branches.id, clients.branchId))
      .innerJoin(parStatuses, eq(parStatuses.id, clients.parStatusId))
      .leftJoin(clientPeriodStatus, periodJoin)
      .leftJoin(statusTypes, eq(statusTypes.id, clientPeriodStatus.statusTypeId))
      .where(inArray(clients.id, ids));

  if (!search) {
    // Without a search or a client-level filter the total is a sum over the per-branch live counts (decision 099);
    // otherwise a count, joining products and the period only when filtering on this period's status.
    const countQuery =
      !q.q && !q.product && !q.par && !q.status
        ? liveCountQuery(ctx, scope, q)
        : q.status
          ? ctx.db
              .select({ total: count() })
              .from(clients)
              .innerJoin(products, eq(products.id, clients.productId))
              .leftJoin(clientPeriodStatus, periodJoin)
              .where(where)
          : ctx.db.select({ total: count() }).from(clients).where(where);
    const arms = mergeArms(scope, q);
    const pageIds = (page: number): SQLWrapper => (arms ? sql`(select id from (${mergedPageIds(ctx, scope, arms, q, page)}))` : plainIds(page));
    const details = (page: number): Promise<ClientListRow[]> => detailsWhere(pageIds(page)).orderBy(order, asc(clients.id));
    let [rows, [{ total }]] = await Promise.all([details(q.page), countQuery]);
    const pages = pageCount(total, q.pageSize);
    let page = q.page;
    if (page > pages) {
      // A page past the end (an old link, a hand-edited URL) shows the last page instead of nothing.
      page = pages;
      rows = await details(page);
    }
    return { rows, total, capped: false, page, pageSize: q.pageSize, pages };
  }

  // A scope of whole companies without other filters gets its exact total with the match count (decision 108).
  const filtered = Boolean(q.company || q.branch || q.product || q.par);
  const found = await searchMatches(ctx, scope, search, filtered);
  const { matches, live } = found;
  // Few matches come back with the count: the page and the total read them instead of the index.
  const matchIds = found.ids ?? search;
  const withoutSearch = clientListConditions(scope, { ...q, q: undefined });
  const pageIds = (page: number): Promise<Array<{ id: number }>> => {
    if (q.sort !== 'branch' && branchScope(scope))
      return pageIdsFromBranches(ctx, matchIds, withoutSearch, sql`${sortColumns[q.sort]}`, q.dir, q.pageSize, (page - 1) * q.pageSize);
    if (q.sort === 'name' && matches > SORT_MATCHES_MAX) return ctx.db.all<{ id: number }>(mergedPageIds(ctx, scope, scope.companies, q, page));
    if (q.sort !== 'branch') return pageIdsFromMatches(ctx, matchIds, withoutSearch, order, q.pageSize, (page - 1) * q.pageSize);
    return plainIds(page);
  };
  const details = async (ids: number[]) => {
    if (ids.length === 0) return [];
    const byId = new Map((await detailsWhere(ids)).map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id)).filter((r): r is ClientListRow => Boolean(r));
  };
  let [idRows, counted] = await Promise.all([
    pageIds(q.page),
    live === null
      ? cappedSearchTotal(ctx, scope, matchIds, withoutSearch, q.page, q.pageSize, opts.searchCountCap)
      : capTotal(live, q.page, q.pageSize, opts.searchCountCap),
  ]);
  const pages = pageCount(counted.total, q.pageSize);
  let page = q.page;
  if (page > pages) {
    page = pages;
    idRows = await pageIds(page);
  }
  const rows = await details(idRows.map((r) => r.id));
  return { rows, total: counted.total, capped: 'capped' in counted && counted.capped, page, pageSize: q.pageSize, pages };
}

/**
 * Unfiltered, by name or past due: one arm per company of the scope, or per branch where the scope names
 * branches, each read in order from its own index ((company_id, full_name), or (branch_id, full_name)
 * of the live clients; the same with past_due_centavos, decision 129) and cut at the page's end, merged
 * by SQLite (MERGE (UNION ALL)).
 * `company_id = 1 or company_id = 2` instead sorted every client in scope through a temporary b-tree
 * (74.6 ms at 200k, bench/RESULTS.md); `branch_id in (…)` read every client of those branches and
 * sorted them (the tele agent's 4 branches: 8.4 ms at 200k once ANALYZE had measured the indexes,
 * decision 125). With a search or a client-level filter the plain query stays: its own index (the
 * search's, a product's) finds fewer rows than walking names.
 */
function mergeArms(scope: StaffScope, q: ClientListQuery): StaffScope['companies'] | null {
  if ((q.sort !== 'name' && q.sort !== 'pastDue') || q.q || q.product || q.par || q.status) return null;
  const arms: StaffScope['companies'] = [];
  for (const company of scope.companies) {
    if (q.company && company.companyId !== q.company) continue;
    if (company.branchIds === 'all') {
      // A branch filter inside a whole company: the plain query reads that branch's index.
      if (q.branch) return null;
      arms.push(company);
      continue;
    }
    for (const branchId of company.branchIds) if (!q.branch || branchId === q.branch) arms.push({ ...company, branchIds: [branchId] });
  }
  const byBranch = arms.some((arm) => arm.branchIds !== 'all');
  // Past due, even in one arm: the arm splits the zero past dues off when descending (armParts).
  return arms.length > 1 || byBranch || q.sort === 'pastDue' ? arms : null;
}

function mergedPageIds(ctx: AppContext, scope: StaffScope, arms: StaffScope['companies'], q: ClientListQuery, page: number): SQL {
  const offset = (page - 1) * q.pageSize;
  const dir = q.dir === 'desc' ? sql`desc` : sql`asc`;
  const key = q.sort === 'pastDue' ? clients.pastDueCentavos : clients.fullName;
  const parts = arms.flatMap((arm) =>
    armParts(q, arm).map(
      (part) =>
        sql`select * from (${ctx.db
          .select({ id: clients.id, k: sql`${key}`.as('k') })
          .from(clients)
          .where(
            and(
              q.q
                ? and(clientListConditions({ ...scope, companies: [arm] }, { ...q, q: undefined }), clientSearchWalkCondition(q.q))
                : clientListConditions({ ...scope, companies: [arm] }, q),
              part,
            ),
          )
          .orderBy(q.dir === 'desc' ? desc(key) : asc(key), asc(clients.id)) // as the plain query
          .limit(offset + q.pageSize)})`,
    ),
  );
  return sql`${sql.join(parts, sql` union all `)} order by k ${dir}, id limit ${q.pageSize} offset ${offset}`;
}

/**
 * The parts of one arm. Past due descending, ties by ascending id: an index read backwards gives the
 * ties in descending id, so SQLite sorts each group of equal amounts; most clients owe nothing (85 % at
 * 200k), and in a whole company's arm a page past the owing ones sorted that whole group (300 ms at
 * offset 50,000). The zero part reads the index in id order; the other two hold small groups. A branch's
 * arm stays whole: its zero group is a branch's clients at most.
 */
function armParts(q: ClientListQuery, arm: StaffScope['companies'][number]): Array<SQL | undefined> {
  if (q.sort !== 'pastDue' || q.dir !== 'desc' || arm.branchIds !== 'all') return [undefined];
  const due = clients.pastDueCentavos;
  return [gt(due, 0), eq(due, 0), lt(due, 0)];
}

/** The live clients in scope (and in the company/branch filter), from the per-branch counts the triggers keep. */
function liveCountQuery(ctx: AppContext, scope: StaffScope, q: ClientListQuery) {
  const cols = { companyId: clientBranchCounts.companyId, branchId: clientBranchCounts.branchId };
  return ctx.db
    .select({ total: sql<number>`coalesce(sum(${clientBranchCounts.live}), 0)`.mapWith(Number) })
    .from(clientBranchCounts)
    .where(and(scopeCondition(scope, cols), q.company ? eq(cols.companyId, q.company) : undefined, q.branch ? eq(cols.branchId, q.branch) : undefined));
}
