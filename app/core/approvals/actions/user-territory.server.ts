// user.territory as a checked action (decision 101): a user's branches and areas, and so the
// companies they work in (the user page has no other company field: a company comes with its branches).
import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import { areas, branches, type ChangeRequest } from '../../../../db/schema';
import type { StaffScope } from '../../access/scope.server';
import { wideCompanyIds } from '../../access/scope.server';
import type { StaffAccess } from '../../access/staff-access.server';
import type { AppContext } from '../../../platform/context';
import { planTerritory, setTerritory, type Territory } from '../../users/territory.server';
import type { CheckedActionHandler } from '../checked-action.server';
import { checkedCompanies } from '../checker-rules.server';
import { askForChange, remarkIssue } from '../request-store.server';

const ids = z.array(z.number().int().positive()).max(500);
const payload = z.object({
  /** The user's whole territory after the change (assignments outside the maker's reach kept). */
  branchIds: ids,
  areaIds: ids,
  /** Every company the change touches: the checker must administer users company-wide in each. */
  companyIds: ids.min(1),
  /** Codes for the approvals list (not applied). */
  labels: z.object({ old: z.string().max(4000), new: z.string().max(4000) }),
});
type Payload = z.infer<typeof payload>;

const coversAll = (access: StaffAccess, companyIds: number[]) => {
  const wide = wideCompanyIds(access.scope('users:manage'));
  return companyIds.every((id) => wide.includes(id));
};

export const userTerritoryHandler: CheckedActionHandler<Payload> = {
  action: 'user.territory',
  permission: 'users:manage',
  covers(access, row) {
    const p = payload.safeParse(row.payload);
    return p.success && p.data.companyIds.includes(row.companyId) && coversAll(access, p.data.companyIds);
  },
  payload,
  async apply(ctx, checker, row, p, decide) {
    const scope = checker.access.scope('users:manage');
    if (!scope || !coversAll(checker.access, p.companyIds)) return { ok: false, message: 'You cannot change territory in every company this touches.' };
    return setTerritory(
      ctx,
      scope,
      checker.userId,
      row.targetId,
      { branchIds: p.branchIds, areaIds: p.areaIds },
      { requestId: row.id, makerId: row.makerId, decide },
    );
  },
  diff(row: ChangeRequest) {
    const p = payload.safeParse(row.payload);
    return p.success ? [{ field: 'territory', old: p.data.labels.old, new: p.data.labels.new }] : [];
  },
};

async function labelsOf(ctx: AppContext, t: Territory): Promise<string> {
  const b = t.branchIds.length ? await ctx.db.select({ code: branches.code }).from(branches).where(inArray(branches.id, t.branchIds)) : [];
  const a = t.areaIds.length ? await ctx.db.select({ code: areas.code }).from(areas).where(inArray(areas.id, t.areaIds)) : [];
  const text = [
    b.length
      ? `branches ${b
          .map((r) => r.code)
          .sort()
          .join(', ')}`
      : '',
    a.length
      ? `areas ${a
          .map((r) => r.code)
          .sort()
          .join(', ')}`
      : '',
  ]
    .filter(Boolean)
    .join('; ');
  return text || 'none';
}

export type TerritoryChangeResult = { ok: true; requestId?: number } | { ok: false; message: string; field?: 'remark' };

/**
 * The territory form's one core call: where a company the change touches checks territory changes,
 * it becomes a pending request (a remark required; nothing else written), else it applies at once.
 */
export async function changeTerritory(
  ctx: AppContext,
  adminScope: StaffScope,
  actorId: number,
  userId: number,
  asked: Territory,
  remark: string | null,
): Promise<TerritoryChangeResult> {
  const plan = await planTerritory(ctx, adminScope, actorId, userId, asked);
  if (!plan.ok) return plan;
  const checked = await checkedCompanies(ctx, plan.companyIds, 'user.territory');
  if (!checked.length) return setTerritory(ctx, adminScope, actorId, userId, asked);
  const issue = remarkIssue(remark);
  if (issue) return { ok: false, message: issue, field: 'remark' };
  const p: Payload = {
    branchIds: plan.after.branchIds,
    areaIds: plan.after.areaIds,
    companyIds: plan.companyIds,
    labels: { old: await labelsOf(ctx, plan.before), new: await labelsOf(ctx, plan.after) },
  };
  return askForChange(ctx, null, {
    action: 'user.territory',
    companyId: checked[0],
    targetType: 'user',
    targetId: userId,
    payload: p,
    before: plan.before,
    remark: remark ?? '',
    makerId: actorId,
  });
}
