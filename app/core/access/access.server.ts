import { and, eq, isNull, type SQL } from 'drizzle-orm';
import { areaBranches, areas, branches, permissions, userAreas, userBranches, userPermissions } from '../../../db/schema';
import { cachePolicies } from '../../platform/cache/cache';
import type { AppContext } from '../../platform/context';
import type { Access, ScopeLevel } from './scope.server';

export const accessCacheKey = (userId: number) => `access:v1:user:${userId}`;

/** The user's access version in the cache: a grant or territory change moves it on (forgetAccess). */
const accessVersionKey = (userId: number) => `access:version:user:${userId}`;

interface AccessEntry {
  version: string;
  access: Access;
}

/**
 * A user's grants and territory, cached briefly; admins' changes call forgetAccess. The entry is
 * stamped with the access version read before the database: a read that started before a change
 * and stores its result after the change's forgetAccess stores it under the old version, which no
 * later read accepts (issue 14 item 7).
 */
export async function loadAccess(ctx: AppContext, userId: number): Promise<Access> {
  const [version, entry] = await Promise.all([
    ctx.cache.get<string>(accessVersionKey(userId)).catch(() => undefined),
    ctx.cache.get<AccessEntry>(accessCacheKey(userId)).catch(() => undefined),
  ]);
  const current = version ?? '0';
  if (entry?.version === current && entry.access) return entry.access;
  const access = await readAccess(ctx, userId);
  await ctx.cache.set<AccessEntry>(accessCacheKey(userId), { version: current, access }, cachePolicies.access).catch(() => undefined);
  return access;
}

/** After a change has committed: a new version (so a stale write-back is never read), then the entry goes. */
export async function forgetAccess(ctx: AppContext, userId: number) {
  const version = `${ctx.clock.now().getTime()}${Math.random().toString(36).slice(2, 8)}`;
  await ctx.cache.set(accessVersionKey(userId), version, cachePolicies.generation);
  await ctx.cache.delete(accessCacheKey(userId));
}

async function readAccess(ctx: AppContext, userId: number): Promise<Access> {
  const [grants, direct, viaAreas] = await Promise.all(accessQueries(ctx, userId));
  return accessFromRows(userId, grants, direct, viaAreas);
}

/**
 * The three reads behind a user's access, for the user id or an SQL expression naming it (the
 * session's user, so the gate can read session and access in one batch; session-access.server.ts).
 */
export function accessQueries(ctx: AppContext, user: number | SQL) {
  const liveBranch = and(eq(branches.isActive, true), isNull(branches.deletedAt));
  return [
    ctx.db
      .select({ permission: permissions.code, companyId: userPermissions.companyId, scope: userPermissions.scope })
      .from(userPermissions)
      .innerJoin(permissions, eq(permissions.id, userPermissions.permissionId))
      .where(eq(userPermissions.userId, user)),
    ctx.db
      .select({ id: branches.id, companyId: branches.companyId })
      .from(userBranches)
      .innerJoin(branches, eq(branches.id, userBranches.branchId))
      .where(and(eq(userBranches.userId, user), liveBranch)),
    ctx.db
      .select({ id: branches.id, companyId: branches.companyId })
      .from(userAreas)
      .innerJoin(areas, and(eq(areas.id, userAreas.areaId), isNull(areas.deletedAt)))
      .innerJoin(areaBranches, eq(areaBranches.areaId, userAreas.areaId))
      .innerJoin(branches, eq(branches.id, areaBranches.branchId))
      .where(and(eq(userAreas.userId, user), liveBranch)),
  ] as const;
}

type BranchRow = { id: number; companyId: number };

export function accessFromRows(
  userId: number,
  grants: Array<{ permission: string; companyId: number; scope: string }>,
  direct: BranchRow[],
  viaAreas: BranchRow[],
): Access {
  const territory = new Map<number, BranchRow>();
  for (const b of [...direct, ...viaAreas]) territory.set(b.id, b);
  return {
    userId,
    grants: grants.map((g) => ({ ...g, scope: g.scope as ScopeLevel })),
    branches: [...territory.values()].sort((a, b) => a.id - b.id),
  };
}
