import { and, asc, count, eq, exists, gt, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { areaBranches, areas, branches, roleTemplates, userAreas, userBranches, userRoles, users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { scopeCompanyIds, scopeCondition, scopeIncludesBranch, wideCompanyIds, type StaffScope } from '../access/scope.server';
import { likeContains } from '../search/like.server';
import { visibleUserCondition } from './user-admin-scope.server';
import type { UserListQuery } from './user-list-query.server';

/**
 * True when the list's branch and area filters name ids inside the reader's reach (decision 007):
 * a branch of the scope; an area of a company the reader holds company-wide, or holding a branch
 * of the reader's territory (decision 075). Another company's id is out of reach like an unknown id.
 */
export async function userListFiltersInReach(ctx: AppContext, scope: StaffScope, q: Pick<UserListQuery, 'branch' | 'area'>): Promise<boolean> {
  if (q.branch) {
    const [branch] = await ctx.db.select({ companyId: branches.companyId }).from(branches).where(eq(branches.id, q.branch)).limit(1);
    if (!branch || !scopeIncludesBranch(scope, branch.companyId, q.branch)) return false;
  }
  if (q.area) {
    const wide = wideCompanyIds(scope);
    const [area] = await ctx.db
      .select({ id: areas.id })
      .from(areas)
      .where(
        and(
          eq(areas.id, q.area),
          or(
            wide.length ? inArray(areas.companyId, wide) : undefined,
            exists(
              ctx.db
                .select({ one: sql`1` })
                .from(areaBranches)
                .where(and(eq(areaBranches.areaId, areas.id), scopeCondition(scope, { companyId: areas.companyId, branchId: areaBranches.branchId }))),
            ),
          ),
        ),
      )
      .limit(1);
    if (!area) return false;
  }
  return true;
}

/**
 * One page of the users the admin may see, with role, lock state and last login; null when a
 * branch or area filter is outside the reader's reach (answer 404). Roles (column and filter) are
 * only those of the reader's companies.
 */
export async function usersInScope(ctx: AppContext, scope: StaffScope, q: UserListQuery) {
  if (!(await userListFiltersInReach(ctx, scope, q))) return null;
  const now = ctx.clock.now();
  const companyIds = scopeCompanyIds(scope);
  const parts: SQL[] = [visibleUserCondition(ctx.db, scope), isNull(users.deletedAt)];
  if (q.q) {
    parts.push(or(likeContains(users.fullName, q.q), likeContains(users.email, q.q.toLowerCase()))!);
  }
  if (q.active !== undefined) parts.push(eq(users.isActive, q.active));
  if (q.locked === true) parts.push(gt(users.lockedUntil, now));
  if (q.locked === false) parts.push(or(isNull(users.lockedUntil), lte(users.lockedUntil, now))!);
  if (q.role) {
    parts.push(
      exists(
        ctx.db
          .select({ one: sql`1` })
          .from(userRoles)
          .innerJoin(roleTemplates, eq(roleTemplates.id, userRoles.roleTemplateId))
          .where(and(eq(userRoles.userId, users.id), inArray(userRoles.companyId, companyIds), eq(roleTemplates.code, q.role))),
      ),
    );
  }
  if (q.branch) {
    parts.push(
      or(
        exists(
          ctx.db
            .select({ one: sql`1` })
            .from(userBranches)
            .where(and(eq(userBranches.userId, users.id), eq(userBranches.branchId, q.branch))),
        ),
        exists(
          ctx.db
            .select({ one: sql`1` })
            .from(userAreas)
            .innerJoin(areaBranches, eq(areaBranches.areaId, userAreas.areaId))
            .where(and(eq(userAreas.userId, users.id), eq(areaBranches.branchId, q.branch))),
        ),
      )!,
    );
  }
  if (q.area) {
    parts.push(
      exists(
        ctx.db
          .select({ one: sql`1` })
          .from(userAreas)
          .where(and(eq(userAreas.userId, users.id), eq(userAreas.areaId, q.area))),
      ),
    );
  }
  const where = and(...parts);
  const readable = sql.join(
    companyIds.map((id) => sql`${id}`),
    sql`, `,
  );
  // Qualified: a bare "id" is ambiguous inside this subquery. Only the roles of the reader's companies.
  const roles = sql<
    string | null
  >`(select group_concat(t.name, ', ') from ${userRoles} r join ${roleTemplates} t on t.id = r.role_template_id where r.user_id = "users"."id" and r.company_id in (${readable}))`;
  const [rows, [{ total }]] = await Promise.all([
    ctx.db
      .select({
        id: users.id,
        email: users.email,
        fullName: users.fullName,
        isActive: users.isActive,
        lockedUntil: users.lockedUntil,
        lastLoginAt: users.lastLoginAt,
        mustChangePassword: users.mustChangePassword,
        roles,
      })
      .from(users)
      .where(where)
      .orderBy(asc(users.fullName), asc(users.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    ctx.db.select({ total: count() }).from(users).where(where),
  ]);
  return {
    rows: rows.map((r) => ({ ...r, locked: Boolean(r.lockedUntil && r.lockedUntil.getTime() > now.getTime()) })),
    total,
    page: q.page,
    pageSize: q.pageSize,
    pages: Math.max(1, Math.ceil(total / q.pageSize)),
  };
}
