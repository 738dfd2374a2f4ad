/**
 * Create, edit, soft delete and restore branches, each with its audit row in the same
 * transaction. Creating, deleting and restoring need branches:manage company-wide; editing needs
 * it for that branch (a territory grant reaches the territory's live, active branches).
 */
import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { areaBranches, branches, clients, userAreas, userBranches, type Branch } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { recordAudit } from '../audit/audit-trail.server';
import type { BranchCreate, BranchEdit } from './org-forms.server';
import { forgetLiveBranches } from './live-branches.server';
import { branchInScope } from './org-scope.server';
import { wideCompanyIds } from '../access/scope.server';
import { forgetAccessOf, invalid, isUniqueViolation, notFound, type OrgActor, type OrgResult } from './org-result.server';

export type Tx = Parameters<Parameters<AppContext['db']['transaction']>[0]>[0];
const DUPLICATE = 'This branch code is already in use.';

/** A live branch the actor may edit (its contacts and users too). */
export async function editableBranch(tx: Tx | AppContext['db'], who: OrgActor, branchId: number): Promise<Branch | undefined> {
  const [row] = await tx
    .select()
    .from(branches)
    .where(and(eq(branches.id, branchId), isNull(branches.deletedAt), branchInScope(who.scope)))
    .limit(1);
  return row;
}

/** A branch of a company the actor manages company-wide: live (false), deleted (true) or either (null). */
export async function wideBranch(tx: Tx | AppContext['db'], who: OrgActor, branchId: number, deleted: boolean | null): Promise<Branch | undefined> {
  const wide = wideCompanyIds(who.scope);
  if (!wide.length) return undefined;
  const state = deleted === null ? undefined : deleted ? isNotNull(branches.deletedAt) : isNull(branches.deletedAt);
  const [row] = await tx
    .select()
    .from(branches)
    .where(and(eq(branches.id, branchId), inArray(branches.companyId, wide), state))
    .limit(1);
  return row;
}

/** Users whose territory includes the branch, directly or through an area. */
export async function usersOfBranch(ctx: AppContext, branchId: number): Promise<number[]> {
  const rows = await ctx.db.select({ id: sql<number>`u.user_id` }).from(sql`(
    select user_id from ${userBranches} where branch_id = ${branchId}
    union select ua.user_id from ${userAreas} ua join ${areaBranches} ab on ab.area_id = ua.area_id where ab.branch_id = ${branchId}
  ) u`);
  return rows.map((r) => Number(r.id));
}

export async function createBranch(ctx: AppContext, who: OrgActor, input: BranchCreate): Promise<OrgResult> {
  if (!wideCompanyIds(who.scope).includes(input.companyId)) return invalid('companyId', 'Choose a company whose branches you manage.');
  try {
    const result = await ctx.write(async (tx) => {
      const [taken] = await tx.select({ id: branches.id }).from(branches).where(eq(branches.code, input.code)).limit(1);
      if (taken) return invalid('code', DUPLICATE);
      const now = ctx.clock.now();
      const [row] = await tx
        .insert(branches)
        .values({ ...input, createdAt: now, updatedAt: now })
        .returning();
      await recordAudit(ctx, { table: 'branches', recordId: row.id, action: 'create', before: null, after: row, userId: who.userId }, tx);
      return { ok: true as const, id: row.id };
    });
    if (result.ok) await forgetLiveBranches(ctx);
    return result;
  } catch (error) {
    if (isUniqueViolation(error)) return invalid('code', DUPLICATE);
    throw error;
  }
}

export async function updateBranch(ctx: AppContext, who: OrgActor, branchId: number, input: BranchEdit): Promise<OrgResult<{ id: number; changed: boolean }>> {
  let territoryChanged = false;
  const result = await ctx.write(async (tx) => {
    const before = await editableBranch(tx, who, branchId);
    if (!before) return notFound;
    const changes = Object.fromEntries(Object.entries(input).filter(([k, v]) => before[k as keyof BranchEdit] !== v)) as Partial<BranchEdit>;
    if (!Object.keys(changes).length) return { ok: true as const, id: branchId, changed: false };
    const [after] = await tx
      .update(branches)
      .set({ ...changes, updatedAt: ctx.clock.now() })
      .where(eq(branches.id, branchId))
      .returning();
    await recordAudit(ctx, { table: 'branches', recordId: branchId, action: 'update', before, after, userId: who.userId }, tx);
    territoryChanged = 'isActive' in changes;
    return { ok: true as const, id: branchId, changed: true };
  });
  if (result.ok && result.changed) await forgetLiveBranches(ctx);
  // Active or not decides whether the branch is in its users' territory.
  if (territoryChanged) await forgetAccessOf(ctx, await usersOfBranch(ctx, branchId));
  return result;
}

/**
 * Soft delete. Refused while the branch still has active clients: they would drop out of every
 * territory user's reach (move them in the source system first; the next sync brings them over).
 */
export async function deleteBranch(ctx: AppContext, who: OrgActor, branchId: number): Promise<OrgResult> {
  const result = await ctx.write(async (tx) => {
    const before = await wideBranch(tx, who, branchId, false);
    if (!before) return notFound;
    const [busy] = await tx
      .select({ n: sql<number>`count(*)` })
      .from(clients)
      .where(and(eq(clients.branchId, branchId), isNull(clients.deletedAt), eq(clients.isActive, true)));
    if (busy.n > 0) return invalid('form', `${before.code} still has ${busy.n} active client${busy.n === 1 ? '' : 's'}; move them to another branch first.`);
    const now = ctx.clock.now();
    const [after] = await tx.update(branches).set({ deletedAt: now, updatedAt: now }).where(eq(branches.id, branchId)).returning();
    await recordAudit(ctx, { table: 'branches', recordId: branchId, action: 'delete', before, after, userId: who.userId }, tx);
    return { ok: true as const, id: branchId };
  });
  if (result.ok) await Promise.all([forgetLiveBranches(ctx), forgetAccessOf(ctx, await usersOfBranch(ctx, branchId))]);
  return result;
}

export async function restoreBranch(ctx: AppContext, who: OrgActor, branchId: number): Promise<OrgResult> {
  const result = await ctx.write(async (tx) => {
    const before = await wideBranch(tx, who, branchId, true);
    if (!before) return notFound;
    const [after] = await tx.update(branches).set({ deletedAt: null, updatedAt: ctx.clock.now() }).where(eq(branches.id, branchId)).returning();
    await recordAudit(ctx, { table: 'branches', recordId: branchId, action: 'restore', before, after, userId: who.userId }, tx);
    return { ok: true as const, id: branchId };
  });
  if (result.ok) await Promise.all([forgetLiveBranches(ctx), forgetAccessOf(ctx, await usersOfBranch(ctx, branchId))]);
  return result;
}
