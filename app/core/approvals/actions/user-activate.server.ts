// user.activate as a checked action (decision 101): reactivating a deactivated user. Deactivating
// is never held back (taking access away is the safe direction).
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { union } from 'drizzle-orm/sqlite-core';
import { areas, branches, userAreas, userBranches, userPermissions } from '../../../../db/schema';
import { wideCompanyIds } from '../../access/scope.server';
import type { AppContext } from '../../../platform/context';
import { setUserActive } from '../../users/lifecycle.server';
import type { CheckedActionHandler } from '../checked-action.server';
import { checkedCompanies } from '../checker-rules.server';
import { askForChange, remarkIssue } from '../request-store.server';

const payload = z.object({ active: z.literal(true), companyIds: z.array(z.number().int().positive()).min(1).max(50) });
type Payload = z.infer<typeof payload>;

export const userActivateHandler: CheckedActionHandler<Payload> = {
  action: 'user.activate',
  permission: 'users:manage',
  // The user works in these companies (grants, territory): the checker administers users in all of them.
  covers(access, row) {
    const p = payload.safeParse(row.payload);
    const wide = wideCompanyIds(access.scope('users:manage'));
    return p.success && p.data.companyIds.includes(row.companyId) && p.data.companyIds.every((id) => wide.includes(id));
  },
  payload,
  apply: (ctx, checker, row, _p, decide) => setUserActive(ctx, checker.userId, row.targetId, true, { requestId: row.id, makerId: row.makerId, decide }),
  diff: () => [{ field: 'active', old: 'no', new: 'yes' }],
};

/** The companies a user works in: where they hold grants or are assigned branches or areas. */
export async function companiesOfUser(ctx: AppContext, userId: number): Promise<number[]> {
  // One statement, not four one after another (decision 131): UNION keeps each company once.
  const rows = await union(
    ctx.db.select({ c: userPermissions.companyId }).from(userPermissions).where(eq(userPermissions.userId, userId)),
    ctx.db
      .select({ c: branches.companyId })
      .from(userBranches)
      .innerJoin(branches, eq(branches.id, userBranches.branchId))
      .where(eq(userBranches.userId, userId)),
    ctx.db.select({ c: areas.companyId }).from(userAreas).innerJoin(areas, eq(areas.id, userAreas.areaId)).where(eq(userAreas.userId, userId)),
  );
  return rows.map((r) => r.c).sort((a, b) => a - b);
}

export type ActivationResult = { ok: true; requestId?: number } | { ok: false; message: string; field?: 'remark' };

/**
 * The account form's one core call for deactivate / reactivate: reactivating waits as a request
 * where a company the user works in checks activation (a remark required), else it applies at once.
 */
export async function changeUserActive(ctx: AppContext, actorId: number, userId: number, active: boolean, remark: string | null): Promise<ActivationResult> {
  const companyIds = active ? await companiesOfUser(ctx, userId) : [];
  const checked = companyIds.length ? await checkedCompanies(ctx, companyIds, 'user.activate') : [];
  if (!checked.length) return setUserActive(ctx, actorId, userId, active);
  const issue = remarkIssue(remark);
  if (issue) return { ok: false, message: issue, field: 'remark' };
  return askForChange(ctx, null, {
    action: 'user.activate',
    companyId: checked[0],
    targetType: 'user',
    targetId: userId,
    payload: { active: true, companyIds },
    before: { isActive: false },
    remark: remark ?? '',
    makerId: actorId,
  });
}
