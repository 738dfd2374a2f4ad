import { and, eq, inArray, isNull } from 'drizzle-orm';
import { areas, branches, userAreas, userBranches } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { forgetAccess } from '../access/access.server';
import { scopeCondition, wideCompanyIds, type StaffScope } from '../access/scope.server';
import { logActivity } from '../audit/activity-log.server';
import { bumpAccessVersion } from './access-version.server';
import { logRefusal, SELF_TERRITORY_MESSAGE } from './grant-ceiling.server';
import type { ChangeApproval } from './grants.server';

type Result = { ok: true } | { ok: false; message: string; conflict?: boolean };
export type Territory = { branchIds: number[]; areaIds: number[] };

type Db = Pick<AppContext['db'], 'select'>;
const sorted = (ids: Iterable<number>) => [...new Set(ids)].sort((a, b) => a - b);

/** A user's whole territory (every company), ids sorted: the state a territory request compares. */
export async function territoryOf(db: Db, userId: number): Promise<Territory> {
  const b = await db.select({ id: userBranches.branchId }).from(userBranches).where(eq(userBranches.userId, userId));
  const a = await db.select({ id: userAreas.areaId }).from(userAreas).where(eq(userAreas.userId, userId));
  return { branchIds: sorted(b.map((r) => r.id)), areaIds: sorted(a.map((r) => r.id)) };
}

/** The companies these branches and areas belong to. */
export async function territoryCompanies(db: Db, t: Territory): Promise<number[]> {
  const b = t.branchIds.length ? await db.select({ c: branches.companyId }).from(branches).where(inArray(branches.id, t.branchIds)) : [];
  const a = t.areaIds.length ? await db.select({ c: areas.companyId }).from(areas).where(inArray(areas.id, t.areaIds)) : [];
  return sorted([...b, ...a].map((r) => r.c));
}

/** What this admin may assign: branches in their scope, areas of companies they manage company-wide. */
async function assignable(ctx: AppContext, adminScope: StaffScope) {
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
  return { branchOk: new Set(allowedBranches.map((b) => b.id)), areaOk: new Set(allowedAreas.filter((a) => wideCompanies.has(a.companyId)).map((a) => a.id)) };
}

export type TerritoryPlan =
  | { ok: false; message: string }
  | { ok: true; wanted: Territory; branchOk: Set<number>; areaOk: Set<number>; before: Territory; after: Territory; companyIds: number[] };

/**
 * Checks a territory change an admin asks for and works out what it makes of the user's whole
 * territory: assignments outside the admin's scope are neither shown nor touched, an id outside it
 * is refused, and nobody changes their own territory (decision 007; logged user.territory_refused).
 */
export async function planTerritory(ctx: AppContext, adminScope: StaffScope, actorId: number, userId: number, asked: Territory): Promise<TerritoryPlan> {
  // The same id twice (a repeated form field) is one assignment, not a UNIQUE violation (issue 19).
  const wanted = { branchIds: sorted(asked.branchIds), areaIds: sorted(asked.areaIds) };
  if (actorId === userId) {
    await logRefusal(ctx, 'user.territory_refused', actorId, userId, { reason: 'self', wanted });
    return { ok: false, message: SELF_TERRITORY_MESSAGE };
  }
  const { branchOk, areaOk } = await assignable(ctx, adminScope);
  const badBranch = wanted.branchIds.find((id) => !branchOk.has(id));
  if (badBranch !== undefined) return { ok: false, message: `Branch ${badBranch} is not one you can assign.` };
  const badArea = wanted.areaIds.find((id) => !areaOk.has(id));
  if (badArea !== undefined) return { ok: false, message: `Area ${badArea} is not one you can assign.` };
  const before = await territoryOf(ctx.db, userId);
  const after = {
    branchIds: sorted([...before.branchIds.filter((id) => !branchOk.has(id)), ...wanted.branchIds]),
    areaIds: sorted([...before.areaIds.filter((id) => !areaOk.has(id)), ...wanted.areaIds]),
  };
  const companyIds = await territoryCompanies(ctx.db, { branchIds: [...before.branchIds, ...after.branchIds], areaIds: [...before.areaIds, ...after.areaIds] });
  return { ok: true, wanted, branchOk, areaOk, before, after, companyIds };
}

/**
 * Sets which branches and areas a user is assigned, within the admin's own scope (planTerritory),
 * in one transaction that reads the territory it replaces. With an approval (decision 101) its
 * `decide` runs first in that transaction with the user's whole territory now: a conflict writes nothing.
 */
export async function setTerritory(
  ctx: AppContext,
  adminScope: StaffScope,
  actorId: number,
  userId: number,
  asked: Territory,
  approval?: ChangeApproval,
): Promise<Result> {
  const plan = await planTerritory(ctx, adminScope, actorId, userId, asked);
  if (!plan.ok) return plan;
  const { wanted, branchOk, areaOk } = plan;
  const done = await ctx.write(async (tx) => {
    const current = await territoryOf(tx, userId);
    if (approval) {
      const decided = await approval.decide(tx, current);
      if (!decided.ok) return { ok: false as const, message: decided.message, conflict: true };
    }
    const manageableBefore = { branches: current.branchIds.filter((id) => branchOk.has(id)), areas: current.areaIds.filter((id) => areaOk.has(id)) };
    if (manageableBefore.branches.length) {
      await tx.delete(userBranches).where(and(eq(userBranches.userId, userId), inArray(userBranches.branchId, manageableBefore.branches)));
    }
    if (manageableBefore.areas.length) {
      await tx.delete(userAreas).where(and(eq(userAreas.userId, userId), inArray(userAreas.areaId, manageableBefore.areas)));
    }
    if (wanted.branchIds.length) await tx.insert(userBranches).values(wanted.branchIds.map((branchId) => ({ userId, branchId, assignedBy: actorId })));
    if (wanted.areaIds.length) await tx.insert(userAreas).values(wanted.areaIds.map((areaId) => ({ userId, areaId, assignedBy: actorId })));
    await bumpAccessVersion(tx, userId);
    return { ok: true as const, manageableBefore };
  });
  if (!done.ok) return done;
  await forgetAccess(ctx, userId);
  await logActivity(ctx, {
    userId: actorId,
    action: 'user.territory_changed',
    resourceType: 'user',
    resourceId: userId,
    details: {
      old: done.manageableBefore,
      new: { branches: wanted.branchIds, areas: wanted.areaIds },
      ...(approval ? { approval: { requestId: approval.requestId, makerId: approval.makerId, checkerId: actorId } } : {}),
    },
  });
  return { ok: true };
}
