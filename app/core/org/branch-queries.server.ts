/**
 * What the branch screens read: a page of branches in the scope (search, area, category, active,
 * deleted for managers) with this period's progress, and one branch with its areas, contacts,
 * users, client counts per product and PAR status, and per-agent progress. One query per table.
 */
import { and, asc, count, desc, eq, exists, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import { areaBranches, areas, branchContacts, branches, clients, companies, parStatuses, products, userBranches, users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { wideCompanyIds, type StaffScope } from '../access/scope.server';
import { likeContains, likePrefix } from '../search/like.server';
import { pageCount } from '../paging/paging';
import type { BranchListQuery } from './branch-list-query.server';
import { areaInScope, branchInScope } from './org-scope.server';
import { emptyProgress, progressBasis, progressByAgent, progressByBranch, type ProgressBasis } from './progress.server';

const one = sql`1`;
const primaryArea = sql<string | null>`(select a.code from ${areaBranches} ab join ${areas} a on a.id = ab.area_id
  where ab.branch_id = "branches"."id" and ab.is_primary = 1)`;

/** A branch's own row as the list and the detail show it. */
const branchColumns = {
  id: branches.id,
  code: branches.code,
  name: branches.name,
  location: branches.location,
  category: branches.category,
  isActive: branches.isActive,
  deletedAt: branches.deletedAt,
};

/** The areas the branch list may filter on (those the reader sees). */
export async function branchFilterAreas(ctx: AppContext, readScope: StaffScope) {
  return ctx.db
    .select({ id: areas.id, code: sql<string>`${companies.code} || ' ' || ${areas.code}`, name: areas.name })
    .from(areas)
    .innerJoin(companies, eq(companies.id, areas.companyId))
    .where(and(isNull(areas.deletedAt), areaInScope(ctx.db, readScope)))
    .orderBy(asc(companies.sortOrder), asc(areas.code));
}

export async function branchList(ctx: AppContext, readScope: StaffScope, manageScope: StaffScope | null, q: BranchListQuery) {
  const parts: SQL[] = q.deleted
    ? [isNotNull(branches.deletedAt), inArray(branches.companyId, wideCompanyIds(manageScope).concat(-1))]
    : [isNull(branches.deletedAt), branchInScope(readScope)];
  if (q.q) parts.push(or(likePrefix(branches.code, q.q.toUpperCase()), likeContains(branches.name, q.q), likeContains(branches.location, q.q))!);
  if (q.area) {
    parts.push(
      exists(
        ctx.db
          .select({ one })
          .from(areaBranches)
          .where(and(eq(areaBranches.branchId, branches.id), eq(areaBranches.areaId, q.area))),
      ),
    );
  }
  if (q.category) parts.push(eq(branches.category, q.category));
  if (q.active !== undefined) parts.push(eq(branches.isActive, q.active));
  const where = and(...parts);
  const order = q.dir === 'desc' ? desc : asc;
  const [rows, [{ total }], basis] = await Promise.all([
    ctx.db
      .select({
        ...branchColumns,
        companyCode: companies.code,
        primaryArea,
      })
      .from(branches)
      .innerJoin(companies, eq(companies.id, branches.companyId))
      .where(where)
      .orderBy(order(q.sort === 'name' ? branches.name : branches.code), asc(branches.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    ctx.db.select({ total: count() }).from(branches).where(where),
    progressBasis(ctx),
  ]);
  const progress = await progressByBranch(
    ctx,
    readScope,
    basis,
    rows.map((r) => r.id),
  );
  return {
    rows: rows.map((r) => ({ ...r, progress: progress.get(r.id) ?? emptyProgress() })),
    total,
    page: q.page,
    pageSize: q.pageSize,
    pages: pageCount(total, q.pageSize),
  };
}

/**
 * One branch: live and inside the read scope, or deleted in a company the reader manages (to
 * restore it). Null otherwise (404). Its progress is read apart (branchProgress) so that a route
 * can read it beside its own reads that need the branch (decision 103).
 */
export async function branchDetail(ctx: AppContext, readScope: StaffScope, manageScope: StaffScope | null, branchId: number) {
  const wide = wideCompanyIds(manageScope);
  // Every read of this branch starts with the scoped row (one step at the edge); when the row is
  // out of reach the others' answers are dropped, so a 404 stays a 404.
  const [[branch], basis, linkedAreas, contacts, assigned, clientCounts] = await Promise.all([
    ctx.db
      .select({
        ...branchColumns,
        companyId: branches.companyId,
        companyCode: companies.code,
      })
      .from(branches)
      .innerJoin(companies, eq(companies.id, branches.companyId))
      .where(
        and(
          eq(branches.id, branchId),
          or(and(isNull(branches.deletedAt), branchInScope(readScope)), and(isNotNull(branches.deletedAt), inArray(branches.companyId, wide.concat(-1)))),
        ),
      )
      .limit(1),
    progressBasis(ctx),
    ctx.db
      .select({ id: areas.id, code: areas.code, name: areas.name, isPrimary: areaBranches.isPrimary, deletedAt: areas.deletedAt })
      .from(areaBranches)
      .innerJoin(areas, eq(areas.id, areaBranches.areaId))
      .where(eq(areaBranches.branchId, branchId))
      .orderBy(desc(areaBranches.isPrimary), asc(areas.code)),
    ctx.db
      .select({
        id: branchContacts.id,
        contactType: branchContacts.contactType,
        value: branchContacts.value,
        label: branchContacts.label,
        isPrimary: branchContacts.isPrimary,
      })
      .from(branchContacts)
      .where(and(eq(branchContacts.branchId, branchId), isNull(branchContacts.deletedAt)))
      .orderBy(desc(branchContacts.isPrimary), asc(branchContacts.contactType), asc(branchContacts.id)),
    ctx.db
      .select({ id: users.id, name: users.fullName, email: users.email, isActive: users.isActive })
      .from(userBranches)
      .innerJoin(users, eq(users.id, userBranches.userId))
      .where(and(eq(userBranches.branchId, branchId), isNull(users.deletedAt)))
      .orderBy(asc(users.fullName)),
    ctx.db
      .select({ product: products.name, par: parStatuses.name, n: count() })
      .from(clients)
      .innerJoin(products, eq(products.id, clients.productId))
      .innerJoin(parStatuses, eq(parStatuses.id, clients.parStatusId))
      .where(and(eq(clients.branchId, branchId), isNull(clients.deletedAt), eq(clients.isActive, true)))
      .groupBy(products.name, parStatuses.name)
      .orderBy(asc(products.name), asc(parStatuses.name)),
  ]);
  if (!branch) return null;
  return {
    branch,
    basis,
    contacts,
    users: assigned,
    areas: linkedAreas.filter((a) => !a.deletedAt),
    clientCounts: clientCountTable(clientCounts),
    canManageCompany: wide.includes(branch.companyId),
  };
}

/** The branch's progress this period, in total and per agent (both need the basis branchDetail read). */
export async function branchProgress(ctx: AppContext, readScope: StaffScope, basis: ProgressBasis, branchId: number) {
  const [total, agents] = await Promise.all([progressByBranch(ctx, readScope, basis, [branchId]), progressByAgent(ctx, readScope, basis, branchId)]);
  return {
    agents,
    progress: total.get(branchId) ?? emptyProgress(),
    periods: { monthly: basis.periods.monthly.key, quarterly: basis.periods.quarterly.key },
    gracePoints: basis.gracePoints,
  };
}

/** Rows per product, a column per PAR status, with totals. */
function clientCountTable(rows: Array<{ product: string; par: string; n: number }>) {
  const pars = [...new Set(rows.map((r) => r.par))].sort();
  const products = [...new Set(rows.map((r) => r.product))];
  const cell = new Map(rows.map((r) => [`${r.product}\u0000${r.par}`, Number(r.n)]));
  return {
    pars,
    rows: products.map((p) => {
      const counts = pars.map((par) => cell.get(`${p}\u0000${par}`) ?? 0);
      return { product: p, counts, total: counts.reduce((a, b) => a + b, 0) };
    }),
    total: rows.reduce((a, r) => a + Number(r.n), 0),
  };
}
