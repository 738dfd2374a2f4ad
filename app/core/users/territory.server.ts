import { and, eq, inArray, isNull } from 'drizzle-orm';
import { areas, branches, userAreas, userBranches } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { forgetAccess } from '../access/access.server';
import { scopeCondition, wideCompanyIds, type StaffScope } from '../access/scope.server';
import { logActivity } from '../audit/activity-log.server';
import { logRefusal, SELF_TERRITORY_MESSAGE } from './grant-ceiling.server';

type Result = { ok: true } | { ok: false; message: string };

/**
 * Sets which branches and areas a user is assigned, within the admin's own scope: assignments
 * outside it are neither shown nor touched, and an id outside it is refused. Nobody changes their
 * own territory (decision 007): that is refused and logged (user.territory_refused).
 */
export async function setTerritory(
  ctx: AppContext,
  adminScope: StaffScope,
  actorId: number,
  userId: number,
  asked: { branchIds: number[]; areaIds: number[] },
): Promise<Result> {
  // The same id twice (a repeated form field) is one assignment, not a UNIQUE violation (issue 19).
  const wanted = { branchIds: [...new Set(asked.branchIds)], areaIds: [...new Set(asked.areaIds)] };
  if (actorId === userId) {
    await logRefusal(ctx, 'user.territory_refused', actorId, userId, { reason: 'self', wanted });
    return { ok: false, message: SELF_TERRITORY_MESSAGE };
  }
  const branchInScope = scopeCondition(adminScope, { companyId: branches.companyId, branchId: branches.id });
  const companyIds = adminScope.companies.map((c) => c.companyId);
  const allowedBranches = await ctx.db
    .select({ id: branches.id })
    .from(branches)
    .where(and(branchInScope, isNull(branches.deletedAt)));
  const allowedAreas = await ctx.db
    .select({ id: areas.id, companyId: areas.companyId })
    .from(areas)
    .where(and(inArray(areas.companyId, companyIds.length ? companyIds : [-1]), isNull(areas.deletedAt)));
  const wideCompanies = new Set(wideCompanyIds(adminScope));
  const branchOk = new Set(allowedBranches.map((b) => b.id));
  const areaOk = new Set(allowedAreas.filter((a) => wideCompanies.has(a.companyId)).map((a) => a.id));
  const badBranch = wanted.branchIds.find((id) => !branchOk.has(id));
  if (badBranch !== undefined) return { ok: false, message: `Branch ${badBranch} is not one you can assign.` };
  const badArea = wanted.areaIds.find((id) => !areaOk.has(id));
  if (badArea !== undefined) return { ok: false, message: `Area ${badArea} is not one you can assign.` };

  const beforeBranches = (await ctx.db.select({ id: userBranches.branchId }).from(userBranches).where(eq(userBranches.userId, userId))).map((r) => r.id);
  const beforeAreas = (await ctx.db.select({ id: userAreas.areaId }).from(userAreas).where(eq(userAreas.userId, userId))).map((r) => r.id);
  const manageableBefore = {
    branches: beforeBranches.filter((id) => branchOk.has(id)),
    areas: beforeAreas.filter((id) => areaOk.has(id)),
  };
  await ctx.write(async (tx) => {
    if (manageableBefore.branches.length) {
      await tx.delete(userBranches).where(and(eq(userBranches.userId, userId), inArray(userBranches.branchId, manageableBefore.branches)));
    }
    if (manageableBefore.areas.length) {
      await tx.delete(userAreas).where(and(eq(userAreas.userId, userId), inArray(userAreas.areaId, manageableBefore.areas)));
    }
    if (wanted.branchIds.length) await tx.insert(userBranches).values(wanted.branchIds.map((branchId) => ({ userId, branchId, assignedBy: actorId })));
    if (wanted.areaIds.length) await tx.insert(userAreas).values(wanted.areaIds.map((areaId) => ({ userId, areaId, assignedBy: actorId })));
  });
  await forgetAccess(ctx, userId);
  await logActivity(ctx, {
    userId: actorId,
    action: 'user.territory_changed',
    resourceType: 'user',
    resourceId: userId,
    details: { old: manageableBefore, new: { branches: wanted.branchIds, areas: wanted.areaIds } },
  });
  return { ok: true };
}
