import { and, asc, count, eq, exists, gt, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { areaBranches, roleTemplates, userAreas, userBranches, userRoles, users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import type { StaffScope } from '../access/scope.server';
import { likeContains } from '../search/like.server';
import { visibleUserCondition } from './user-admin-scope.server';
import type { UserListQuery } from './user-list-query.server';

/** One page of the users the admin may see, with role, lock state and last login. */
export async function usersInScope(ctx: AppContext, scope: StaffScope, q: UserListQuery) {
  const now = ctx.clock.now();
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
          .where(and(eq(userRoles.userId, users.id), eq(roleTemplates.code, q.role))),
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
  const roles = sql<
    string | null
  >`(select group_concat(t.name, ', ') from ${userRoles} r join ${roleTemplates} t on t.id = r.role_template_id where r.user_id = "users"."id")`; // qualified: a bare "id" is ambiguous inside this subquery
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
