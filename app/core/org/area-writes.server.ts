/**
 * Create, edit, soft delete and restore areas. Each write and its audit row (config_audit_log,
 * only the changed fields) commit in one transaction. Only company-wide managers (areas:manage,
 * scope all) change a company's areas; any other area id answers NOT_FOUND.
 */
import { and, count, eq, inArray, isNotNull, isNull, ne } from 'drizzle-orm';
import { areaBranches, areas, branches, userAreas, type Area } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { recordAudit } from '../audit/audit-trail.server';
import type { AreaCreate, AreaEdit } from './org-forms.server';
import { wideCompanyIds } from '../access/scope.server';
import { forgetLiveAreas } from './live-areas.server';
import { forgetAccessOf, invalid, isUniqueViolation, notFound, type OrgActor, type OrgResult } from './org-result.server';

type Tx = Parameters<Parameters<AppContext['db']['transaction']>[0]>[0];
const DUPLICATE = 'Another area of this company already has this code.';

/** The area if the actor manages its company; `deleted` picks live (false), deleted (true) or either (null). */
export async function managedArea(tx: Tx | AppContext['db'], who: OrgActor, areaId: number, deleted: boolean | null): Promise<Area | undefined> {
  const wide = wideCompanyIds(who.scope);
  if (!wide.length) return undefined;
  const state = deleted === null ? undefined : deleted ? isNotNull(areas.deletedAt) : isNull(areas.deletedAt);
  const [row] = await tx
    .select()
    .from(areas)
    .where(and(eq(areas.id, areaId), inArray(areas.companyId, wide), state))
    .limit(1);
  return row;
}

async function codeTaken(tx: Tx, companyId: number, code: string, exceptId?: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: areas.id })
    .from(areas)
    .where(and(eq(areas.companyId, companyId), eq(areas.code, code), exceptId === undefined ? undefined : ne(areas.id, exceptId)))
    .limit(1);
  return Boolean(row);
}

/** Users whose territory runs through this area. */
export async function usersOfArea(ctx: AppContext, areaId: number): Promise<number[]> {
  return (await ctx.db.select({ id: userAreas.userId }).from(userAreas).where(eq(userAreas.areaId, areaId))).map((r) => r.id);
}

export async function createArea(ctx: AppContext, who: OrgActor, input: AreaCreate): Promise<OrgResult> {
  const result = await insertArea(ctx, who, input);
  if (result.ok) await forgetLiveAreas(ctx);
  return result;
}

async function insertArea(ctx: AppContext, who: OrgActor, input: AreaCreate): Promise<OrgResult> {
  if (!wideCompanyIds(who.scope).includes(input.companyId)) return invalid('companyId', 'Choose a company whose areas you manage.');
  try {
    return await ctx.write(async (tx) => {
      if (await codeTaken(tx, input.companyId, input.code)) return invalid('code', DUPLICATE);
      const now = ctx.clock.now();
      const [row] = await tx
        .insert(areas)
        .values({ ...input, createdAt: now, updatedAt: now })
        .returning();
      await recordAudit(ctx, { table: 'areas', recordId: row.id, action: 'create', before: null, after: row, userId: who.userId }, tx);
      return { ok: true as const, id: row.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return invalid('code', DUPLICATE);
    throw error;
  }
}

export async function updateArea(ctx: AppContext, who: OrgActor, areaId: number, input: AreaEdit): Promise<OrgResult<{ id: number; changed: boolean }>> {
  const result = await changeArea(ctx, who, areaId, input);
  if (result.ok && result.changed) await forgetLiveAreas(ctx);
  return result;
}

async function changeArea(ctx: AppContext, who: OrgActor, areaId: number, input: AreaEdit): Promise<OrgResult<{ id: number; changed: boolean }>> {
  try {
    return await ctx.write(async (tx) => {
      const before = await managedArea(tx, who, areaId, false);
      if (!before) return notFound;
      const changes = Object.fromEntries(Object.entries(input).filter(([k, v]) => before[k as keyof AreaEdit] !== v)) as Partial<AreaEdit>;
      if (!Object.keys(changes).length) return { ok: true as const, id: areaId, changed: false };
      if (changes.code && (await codeTaken(tx, before.companyId, changes.code, areaId))) return invalid('code', DUPLICATE);
      const [after] = await tx
        .update(areas)
        .set({ ...changes, updatedAt: ctx.clock.now() })
        .where(eq(areas.id, areaId))
        .returning();
      await recordAudit(ctx, { table: 'areas', recordId: areaId, action: 'update', before, after, userId: who.userId }, tx);
      return { ok: true as const, id: areaId, changed: true };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return invalid('code', DUPLICATE);
    throw error;
  }
}

/**
 * Soft delete (deleted_at). Refused while live branches are still assigned: a deleted area would
 * otherwise keep their primary link and silently drop them from its users' territory.
 */
export async function deleteArea(ctx: AppContext, who: OrgActor, areaId: number): Promise<OrgResult> {
  const result = await ctx.write(async (tx) => {
    const before = await managedArea(tx, who, areaId, false);
    if (!before) return notFound;
    const [{ n }] = await tx
      .select({ n: count() })
      .from(areaBranches)
      .innerJoin(branches, eq(branches.id, areaBranches.branchId))
      .where(and(eq(areaBranches.areaId, areaId), isNull(branches.deletedAt)));
    if (n > 0) return invalid('form', `Unassign its ${n} branch${n === 1 ? '' : 'es'} first, then delete the area.`);
    const now = ctx.clock.now();
    const [after] = await tx.update(areas).set({ deletedAt: now, updatedAt: now }).where(eq(areas.id, areaId)).returning();
    await recordAudit(ctx, { table: 'areas', recordId: areaId, action: 'delete', before, after, userId: who.userId }, tx);
    return { ok: true as const, id: areaId };
  });
  if (result.ok) await Promise.all([forgetLiveAreas(ctx), forgetAccessOf(ctx, await usersOfArea(ctx, areaId))]);
  return result;
}

export async function restoreArea(ctx: AppContext, who: OrgActor, areaId: number): Promise<OrgResult> {
  const result = await ctx.write(async (tx) => {
    const before = await managedArea(tx, who, areaId, true);
    if (!before) return notFound;
    const [after] = await tx.update(areas).set({ deletedAt: null, updatedAt: ctx.clock.now() }).where(eq(areas.id, areaId)).returning();
    await recordAudit(ctx, { table: 'areas', recordId: areaId, action: 'restore', before, after, userId: who.userId }, tx);
    return { ok: true as const, id: areaId };
  });
  if (result.ok) await Promise.all([forgetLiveAreas(ctx), forgetAccessOf(ctx, await usersOfArea(ctx, areaId))]);
  return result;
}
