import { and, eq, isNull } from 'drizzle-orm';
import { areaBranches, areas, branches, permissions, userAreas, userBranches, userPermissions } from '../../../db/schema';
import { cachePolicies, cached } from '../../platform/cache/cache';
import type { AppContext } from '../../platform/context';
import type { Access, ScopeLevel } from './scope.server';

export const accessCacheKey = (userId: number) => `access:v1:user:${userId}`;

/** A user's grants and territory, cached briefly; admins' changes call forgetAccess. */
export async function loadAccess(ctx: AppContext, userId: number): Promise<Access> {
  return cached(ctx.cache, accessCacheKey(userId), cachePolicies.access, () => readAccess(ctx, userId));
}

export async function forgetAccess(ctx: AppContext, userId: number) {
  await ctx.cache.delete(accessCacheKey(userId));
}

async function readAccess(ctx: AppContext, userId: number): Promise<Access> {
  const liveBranch = and(eq(branches.isActive, true), isNull(branches.deletedAt));
  const [grants, direct, viaAreas] = await Promise.all([
    ctx.db
      .select({ permission: permissions.code, companyId: userPermissions.companyId, scope: userPermissions.scope })
      .from(userPermissions)
      .innerJoin(permissions, eq(permissions.id, userPermissions.permissionId))
      .where(eq(userPermissions.userId, userId)),
    ctx.db
      .select({ id: branches.id, companyId: branches.companyId })
      .from(userBranches)
      .innerJoin(branches, eq(branches.id, userBranches.branchId))
      .where(and(eq(userBranches.userId, userId), liveBranch)),
    ctx.db
      .select({ id: branches.id, companyId: branches.companyId })
      .from(userAreas)
      .innerJoin(areas, and(eq(areas.id, userAreas.areaId), isNull(areas.deletedAt)))
      .innerJoin(areaBranches, eq(areaBranches.areaId, userAreas.areaId))
      .innerJoin(branches, eq(branches.id, areaBranches.branchId))
      .where(and(eq(userAreas.userId, userId), liveBranch)),
  ]);
  const territory = new Map<number, { id: number; companyId: number }>();
  for (const b of [...direct, ...viaAreas]) territory.set(b.id, b);
  return {
    userId,
    grants: grants.map((g) => ({ ...g, scope: g.scope as ScopeLevel })),
    branches: [...territory.values()].sort((a, b) => a.id - b.id),
  };
}
