/**
 * Assigning users to a branch (user_branches). Needs branches:manage for the branch AND
 * users:manage over the user (manageableUserCondition): an admin never changes the territory of
 * a user outside their reach. Candidates are live, active users the admin may manage who hold a
 * grant in the branch's company or no grant yet. Never the admin themselves: nobody changes their own
 * territory (decision 007); a try is refused and logged (user.territory_refused).
 */
import { and, asc, eq, exists, inArray, isNull, ne, not, or, sql } from 'drizzle-orm';
import { userBranches, userPermissions, users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import type { StaffScope } from '../access/scope.server';
import { recordAudit } from '../audit/audit-trail.server';
import { logRefusal, SELF_TERRITORY_MESSAGE } from '../users/grant-ceiling.server';
import { manageableUserCondition } from '../users/user-admin-scope.server';
import { editableBranch } from './branch-writes.server';
import { forgetAccessOf, invalid, notFound, type OrgActor, type OrgResult } from './org-result.server';

const one = sql`1`;
export const MAX_USER_CANDIDATES = 200;

function candidateCondition(ctx: AppContext, usersScope: StaffScope, companyId: number) {
  return and(
    eq(users.isActive, true),
    isNull(users.deletedAt),
    ne(users.id, usersScope.userId),
    manageableUserCondition(ctx.db, usersScope),
    or(
      exists(
        ctx.db
          .select({ one })
          .from(userPermissions)
          .where(and(eq(userPermissions.userId, users.id), eq(userPermissions.companyId, companyId))),
      ),
      not(exists(ctx.db.select({ one }).from(userPermissions).where(eq(userPermissions.userId, users.id)))),
    ),
  )!;
}

/** Users the admin could add to this branch (not already assigned), by name, at most MAX_USER_CANDIDATES. */
export async function userCandidates(ctx: AppContext, usersScope: StaffScope, branch: { id: number; companyId: number }) {
  const assigned = exists(
    ctx.db
      .select({ one })
      .from(userBranches)
      .where(and(eq(userBranches.userId, users.id), eq(userBranches.branchId, branch.id))),
  );
  return ctx.db
    .select({ id: users.id, name: users.fullName, email: users.email })
    .from(users)
    .where(and(candidateCondition(ctx, usersScope, branch.companyId), not(assigned)))
    .orderBy(asc(users.fullName), asc(users.id))
    .limit(MAX_USER_CANDIDATES);
}

async function refuseSelf(ctx: AppContext, tx: Pick<AppContext['db'], 'insert'>, actorId: number, branchId: number, change: 'assign' | 'unassign') {
  await logRefusal(ctx, 'user.territory_refused', actorId, actorId, { reason: 'self', change, branchId }, tx);
  return invalid('userId', SELF_TERRITORY_MESSAGE);
}

export async function assignUser(
  ctx: AppContext,
  who: OrgActor,
  usersScope: StaffScope,
  branchId: number,
  userId: number,
): Promise<OrgResult<{ id: number; changed: boolean }>> {
  const result = await ctx.write(async (tx) => {
    const branch = await editableBranch(tx, who, branchId);
    if (!branch) return notFound;
    if (userId === who.userId || userId === usersScope.userId) return refuseSelf(ctx, tx, who.userId, branchId, 'assign');
    const [user] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, userId), candidateCondition(ctx, usersScope, branch.companyId)))
      .limit(1);
    if (!user) return invalid('userId', 'Choose a user you manage from the list.');
    const [existing] = await tx
      .select({ id: userBranches.id })
      .from(userBranches)
      .where(and(eq(userBranches.userId, userId), eq(userBranches.branchId, branchId)))
      .limit(1);
    if (existing) return { ok: true as const, id: existing.id, changed: false };
    const [row] = await tx.insert(userBranches).values({ userId, branchId, assignedBy: who.userId, createdAt: ctx.clock.now() }).returning();
    await recordAudit(ctx, { table: 'user_branches', recordId: row.id, action: 'create', before: null, after: row, userId: who.userId }, tx);
    return { ok: true as const, id: row.id, changed: true };
  });
  if (result.ok && result.changed) await forgetAccessOf(ctx, [userId]);
  return result;
}

export async function unassignUser(ctx: AppContext, who: OrgActor, usersScope: StaffScope, branchId: number, userId: number): Promise<OrgResult> {
  const result = await ctx.write(async (tx) => {
    if (!(await editableBranch(tx, who, branchId))) return notFound;
    if (userId === who.userId || userId === usersScope.userId) return refuseSelf(ctx, tx, who.userId, branchId, 'unassign');
    const [before] = await tx
      .select()
      .from(userBranches)
      .innerJoin(users, eq(users.id, userBranches.userId))
      .where(and(eq(userBranches.branchId, branchId), eq(userBranches.userId, userId), manageableUserCondition(ctx.db, usersScope)))
      .limit(1);
    if (!before) return invalid('userId', 'That user is not assigned here, or is not one you manage.');
    await tx.delete(userBranches).where(eq(userBranches.id, before.user_branches.id));
    await recordAudit(
      ctx,
      { table: 'user_branches', recordId: before.user_branches.id, action: 'delete', before: before.user_branches, after: null, userId: who.userId },
      tx,
    );
    return { ok: true as const, id: before.user_branches.id };
  });
  if (result.ok) await forgetAccessOf(ctx, [userId]);
  return result;
}

/** Which of these users the admin may manage (to offer "Unassign" only where it would be allowed). */
export async function manageableAmong(ctx: AppContext, usersScope: StaffScope, userIds: number[]): Promise<number[]> {
  if (!userIds.length) return [];
  const rows = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, userIds), ne(users.id, usersScope.userId), manageableUserCondition(ctx.db, usersScope)));
  return rows.map((r) => r.id);
}
