/**
 * Assigning branches to areas (area_branches). A branch may sit in several areas of its own
 * company, at most one of them primary (a partial unique index holds that; we check first to
 * give a clear message). Every link change is audited in its transaction, and the users whose
 * territory runs through the area have their cached access dropped.
 */
import { and, eq, isNull, ne } from 'drizzle-orm';
import { areaBranches, areas, branches, companies } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { recordAudit } from '../audit/audit-trail.server';
import { managedArea, usersOfArea } from './area-writes.server';
import { forgetAccessOf, invalid, isUniqueViolation, notFound, type OrgActor, type OrgResult } from './org-result.server';

const PRIMARY_TAKEN = 'This branch already has a primary area.';

export async function assignBranch(
  ctx: AppContext,
  who: OrgActor,
  areaId: number,
  input: { branchId: number; isPrimary: boolean },
): Promise<OrgResult<{ id: number; changed: boolean }>> {
  let result: OrgResult<{ id: number; changed: boolean }>;
  try {
    result = await ctx.write(async (tx) => {
      const area = await managedArea(tx, who, areaId, false);
      if (!area) return notFound;
      const [branch] = await tx
        .select({ id: branches.id, code: branches.code, companyId: branches.companyId })
        .from(branches)
        .where(and(eq(branches.id, input.branchId), isNull(branches.deletedAt)))
        .limit(1);
      // A branch of another company answers like an unknown one: its existence is not revealed.
      if (!branch || branch.companyId !== area.companyId) return invalid('branchId', "Choose a branch of this area's company.");
      if (input.isPrimary) {
        const [other] = await tx
          .select({ code: areas.code, company: companies.code, deletedAt: areas.deletedAt })
          .from(areaBranches)
          .innerJoin(areas, eq(areas.id, areaBranches.areaId))
          .innerJoin(companies, eq(companies.id, areas.companyId))
          .where(and(eq(areaBranches.branchId, branch.id), eq(areaBranches.isPrimary, true), ne(areaBranches.areaId, areaId)))
          .limit(1);
        if (other) {
          return invalid(
            'isPrimary',
            `${branch.code}'s primary area is ${other.company} ${other.code}${other.deletedAt ? ' (deleted)' : ''}; unassign it there or make it secondary first.`,
          );
        }
      }
      const [before] = await tx
        .select()
        .from(areaBranches)
        .where(and(eq(areaBranches.areaId, areaId), eq(areaBranches.branchId, branch.id)))
        .limit(1);
      if (before) {
        if (before.isPrimary === input.isPrimary) return { ok: true as const, id: before.id, changed: false };
        const [after] = await tx.update(areaBranches).set({ isPrimary: input.isPrimary }).where(eq(areaBranches.id, before.id)).returning();
        await recordAudit(ctx, { table: 'area_branches', recordId: before.id, action: 'update', before, after, userId: who.userId }, tx);
        return { ok: true as const, id: before.id, changed: true };
      }
      const [row] = await tx.insert(areaBranches).values({ areaId, branchId: branch.id, isPrimary: input.isPrimary, createdAt: ctx.clock.now() }).returning();
      await recordAudit(ctx, { table: 'area_branches', recordId: row.id, action: 'create', before: null, after: row, userId: who.userId }, tx);
      return { ok: true as const, id: row.id, changed: true };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return invalid('isPrimary', PRIMARY_TAKEN);
    throw error;
  }
  if (result.ok && result.changed) await forgetAccessOf(ctx, await usersOfArea(ctx, areaId));
  return result;
}

/** Removes the link (a hard delete: the audit row keeps what it held). */
export async function unassignBranch(ctx: AppContext, who: OrgActor, areaId: number, branchId: number): Promise<OrgResult> {
  const result = await ctx.write(async (tx) => {
    const area = await managedArea(tx, who, areaId, false);
    if (!area) return notFound;
    const [before] = await tx
      .select()
      .from(areaBranches)
      .where(and(eq(areaBranches.areaId, areaId), eq(areaBranches.branchId, branchId)))
      .limit(1);
    if (!before) return invalid('branchId', 'That branch is not assigned to this area.');
    await tx.delete(areaBranches).where(eq(areaBranches.id, before.id));
    await recordAudit(ctx, { table: 'area_branches', recordId: before.id, action: 'delete', before, after: null, userId: who.userId }, tx);
    return { ok: true as const, id: before.id };
  });
  if (result.ok) await forgetAccessOf(ctx, await usersOfArea(ctx, areaId));
  return result;
}
