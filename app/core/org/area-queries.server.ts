/**
 * What the area screens read: the list per company with current-period progress, and one area
 * with its branches, users and per-branch progress. Every query is scoped (org-scope.ts); counts
 * are one GROUP BY each.
 */
import { and, asc, count, eq, inArray, isNotNull, isNull, notInArray, sql } from 'drizzle-orm';
import { areaBranches, areas, branches, companies, userAreas, users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { wideCompanyIds, type StaffScope } from '../access/scope.server';
import { areaInScope, branchInScope } from './org-scope.server';
import { emptyProgress, progressBasis, progressByArea, progressByBranch } from './progress.server';

/** An area's row as the list and the detail show it (joined to its company). */
const areaColumns = {
  id: areas.id,
  code: areas.code,
  name: areas.name,
  isActive: areas.isActive,
  deletedAt: areas.deletedAt,
  companyId: areas.companyId,
  companyCode: companies.code,
};

export type AreaListState = 'live' | 'deleted';

/** Areas of every company in the scope, grouped per company, each with branch count and progress. */
export async function areaList(ctx: AppContext, readScope: StaffScope, manageScope: StaffScope | null, state: AreaListState) {
  const where =
    state === 'deleted'
      ? and(isNotNull(areas.deletedAt), inArray(areas.companyId, wideCompanyIds(manageScope).concat(-1)))
      : and(isNull(areas.deletedAt), areaInScope(ctx.db, readScope));
  // The rows and the progress basis together, then the branch counts and progress of those rows
  // together: two round trips at the edge (decision 103), the same queries on a local file.
  const rowsRead = ctx.db
    .select(areaColumns)
    .from(areas)
    .innerJoin(companies, eq(companies.id, areas.companyId))
    .where(where)
    .orderBy(asc(companies.sortOrder), asc(areas.code));
  const [rows, basis] = await Promise.all([rowsRead, progressBasis(ctx)]);
  const ids = rows.map((r) => r.id);
  const [branchCounts, progress] = await Promise.all([
    ids.length
      ? ctx.db
          .select({ areaId: areaBranches.areaId, n: count() })
          .from(areaBranches)
          .innerJoin(branches, eq(branches.id, areaBranches.branchId))
          .where(and(inArray(areaBranches.areaId, ids), isNull(branches.deletedAt), branchInScope(readScope)))
          .groupBy(areaBranches.areaId)
      : Promise.resolve([]),
    progressByArea(ctx, readScope, basis, ids),
  ]);
  const branchesOf = new Map(branchCounts.map((r) => [r.areaId, r.n]));
  const list = rows.map((r) => ({ ...r, branches: branchesOf.get(r.id) ?? 0, progress: progress.get(r.id) ?? emptyProgress() }));
  const byCompany = new Map<string, typeof list>();
  for (const a of list) byCompany.set(a.companyCode, [...(byCompany.get(a.companyCode) ?? []), a]);
  return {
    companies: [...byCompany].map(([code, rows]) => ({ code, areas: rows })),
    periods: { monthly: basis.periods.monthly.key, quarterly: basis.periods.quarterly.key },
    elapsedPct: { monthly: Math.round(basis.elapsed.monthly * 1000) / 10, quarterly: Math.round(basis.elapsed.quarterly * 1000) / 10 },
    gracePoints: basis.gracePoints,
  };
}

/**
 * One area: live and inside the read scope, or deleted in a company the reader manages (to
 * restore it). Null otherwise (the route answers 404).
 */
export async function areaDetail(ctx: AppContext, readScope: StaffScope, manageScope: StaffScope | null, areaId: number) {
  const wide = wideCompanyIds(manageScope);
  // The scoped row, its branches, users and the progress basis together (one step at the edge,
  // decision 103); when the row is out of reach the others' answers are dropped (404 stays 404).
  const [[area], linked, assignedUsers, basis] = await Promise.all([
    ctx.db
      .select({
        ...areaColumns,
        createdAt: areas.createdAt,
        updatedAt: areas.updatedAt,
      })
      .from(areas)
      .innerJoin(companies, eq(companies.id, areas.companyId))
      .where(
        and(
          eq(areas.id, areaId),
          sql`(${and(isNull(areas.deletedAt), areaInScope(ctx.db, readScope))} or ${and(isNotNull(areas.deletedAt), inArray(areas.companyId, wide.concat(-1)))})`,
        ),
      )
      .limit(1),
    ctx.db
      .select({
        branchId: branches.id,
        code: branches.code,
        name: branches.name,
        isActive: branches.isActive,
        isPrimary: areaBranches.isPrimary,
      })
      .from(areaBranches)
      .innerJoin(branches, eq(branches.id, areaBranches.branchId))
      .where(and(eq(areaBranches.areaId, areaId), isNull(branches.deletedAt), branchInScope(readScope)))
      .orderBy(asc(branches.code)),
    ctx.db
      .select({ id: users.id, name: users.fullName, isActive: users.isActive })
      .from(userAreas)
      .innerJoin(users, eq(users.id, userAreas.userId))
      .where(and(eq(userAreas.areaId, areaId), isNull(users.deletedAt)))
      .orderBy(asc(users.fullName)),
    progressBasis(ctx),
  ]);
  if (!area) return null;
  const canManage = wide.includes(area.companyId);
  const linkedIds = linked.map((b) => b.branchId);
  // Progress and the branches left to assign both need only the answers above: read together.
  const [progress, assignable] = await Promise.all([
    progressByBranch(ctx, readScope, basis, linkedIds),
    canManage && !area.deletedAt
      ? ctx.db
          .select({ id: branches.id, code: branches.code, name: branches.name })
          .from(branches)
          .where(
            and(eq(branches.companyId, area.companyId), isNull(branches.deletedAt), eq(branches.isActive, true), notInArray(branches.id, linkedIds.concat(-1))),
          )
          .orderBy(asc(branches.code))
      : Promise.resolve([]),
  ]);
  const branchRows = linked.map((b) => ({ ...b, progress: progress.get(b.branchId) ?? emptyProgress() }));
  return {
    area,
    canManage,
    branches: branchRows,
    users: assignedUsers,
    assignable,
    periods: { monthly: basis.periods.monthly.key, quarterly: basis.periods.quarterly.key },
    gracePoints: basis.gracePoints,
  };
}

/** Companies the manager may add areas or branches to (for the create forms). */
export async function managedCompanies(ctx: AppContext, manageScope: StaffScope | null) {
  const wide = wideCompanyIds(manageScope);
  if (!wide.length) return [];
  return ctx.db
    .select({ id: companies.id, code: companies.code, name: companies.name })
    .from(companies)
    .where(inArray(companies.id, wide))
    .orderBy(asc(companies.sortOrder));
}
