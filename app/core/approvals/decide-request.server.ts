import { and, eq } from 'drizzle-orm';
import { changeRequests, type ChangeRequest, type ChangeRequestState } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { wideCompanyIds, type StaffScope } from '../access/scope.server';
import { logActivity } from '../audit/activity-log.server';
import type { GrantMap } from '../users/grant-ceiling.server';
import { setCompanyGrants } from '../users/grants.server';
import type { GrantRequestPayload } from './grant-requests.server';
import { remarkIssue } from './grant-requests.server';

/** The answer to a checker's or a maker's decision; the route maps kinds to 404, 403, 409, 400. */
export type DecisionResult =
  { ok: true; message: string } | { ok: false; kind: 'not-found' | 'forbidden' | 'conflict' | 'invalid'; message: string; current?: ChangeRequestState };

/**
 * A request the reader may see: in a company where they administer users company-wide (user.grants
 * changes a company's grants, so the whole company is the target's territory). null: 404.
 */
export async function requestInReach(ctx: AppContext, scope: StaffScope, requestId: number): Promise<ChangeRequest | null> {
  const [row] = await ctx.db.select().from(changeRequests).where(eq(changeRequests.id, requestId));
  return row && wideCompanyIds(scope).includes(row.companyId) ? row : null;
}

const sameGrants = (a: GrantMap, b: GrantMap) =>
  JSON.stringify(Object.entries(a).sort(([x], [y]) => x.localeCompare(y))) === JSON.stringify(Object.entries(b).sort(([x], [y]) => x.localeCompare(y)));

/** Closes a pending request (one UPDATE guarded by state = pending: two checkers cannot both decide it). */
async function close(
  db: Pick<AppContext['db'], 'update'>,
  ctx: AppContext,
  id: number,
  state: Exclude<ChangeRequestState, 'pending'>,
  by: number | null,
  remark: string | null,
) {
  const done = await db
    .update(changeRequests)
    .set({ state, checkerId: by, decisionRemark: remark, decidedAt: ctx.clock.now() })
    .where(and(eq(changeRequests.id, id), eq(changeRequests.state, 'pending')))
    .returning({ id: changeRequests.id });
  return done.length === 1;
}

/** Checks shared by approve and reject: still pending, not expired, and not the maker deciding. */
async function openForDecision(ctx: AppContext, row: ChangeRequest, checkerId: number): Promise<DecisionResult | null> {
  if (row.state !== 'pending') return { ok: false, kind: 'conflict', message: `This request is already ${row.state}.`, current: row.state };
  if (row.expiresAt.getTime() <= ctx.clock.now().getTime()) {
    await close(ctx.db, ctx, row.id, 'expired', null, null);
    return { ok: false, kind: 'conflict', message: 'This request has expired; ask for the change again.', current: 'expired' };
  }
  if (row.makerId === checkerId) return { ok: false, kind: 'forbidden', message: 'You made this request: another admin must approve or reject it.' };
  return null;
}

/**
 * Approval runs the direct path (setCompanyGrants) as the checker, so the checker's own privilege
 * ceiling applies, in one transaction with closing the request. When the target's grants changed
 * since the request was made, nothing is applied: the request is closed as stale and the answer is
 * a 409 naming the current state.
 */
export async function approveRequest(ctx: AppContext, checkerId: number, row: ChangeRequest): Promise<DecisionResult> {
  const refused = await openForDecision(ctx, row, checkerId);
  if (refused) return refused;
  const payload = row.payload as unknown as GrantRequestPayload;
  const asked = (row.before as { grants: GrantMap }).grants;
  let stale = false;
  // Audit rows the direct path writes now name the request (maker, checker: app/core/audit/approval-trail).
  ctx.state.changeRequestId = row.id;
  const applied = await setCompanyGrants(
    ctx,
    checkerId,
    row.targetId,
    payload.companyId,
    payload.grants,
    payload.roleTemplate ? { roleTemplateId: payload.roleTemplate.id, code: payload.roleTemplate.code } : undefined,
    {
      requestId: row.id,
      makerId: row.makerId,
      decide: async (tx, before) => {
        if (!sameGrants(before, asked)) {
          stale = await close(tx, ctx, row.id, 'stale', checkerId, 'The permissions changed after the request was made.');
          return { ok: false, message: 'The permissions changed after this request was made; it was not applied. Ask for the change again.' };
        }
        if (!(await close(tx, ctx, row.id, 'approved', checkerId, null))) return { ok: false, message: 'This request was decided a moment ago.' };
        return { ok: true };
      },
    },
  ).finally(() => {
    ctx.state.changeRequestId = undefined;
  });
  if (applied.ok) {
    await logActivity(ctx, approvalEntry(row, checkerId, 'approval.approved'));
    return { ok: true, message: 'Approved: the change is in force.' };
  }
  if (applied.conflict) {
    if (stale) await logActivity(ctx, approvalEntry(row, checkerId, 'approval.stale'));
    return { ok: false, kind: 'conflict', message: applied.message, current: stale ? 'stale' : undefined };
  }
  // The checker's own ceiling (or their own grants): the request stays open for someone who may.
  return { ok: false, kind: 'forbidden', message: applied.message };
}

export async function rejectRequest(ctx: AppContext, checkerId: number, row: ChangeRequest, reason: string): Promise<DecisionResult> {
  const issue = remarkIssue(reason);
  if (issue) return { ok: false, kind: 'invalid', message: `Give a reason for the rejection: ${issue}` };
  const refused = await openForDecision(ctx, row, checkerId);
  if (refused) return refused;
  if (!(await close(ctx.db, ctx, row.id, 'rejected', checkerId, reason.trim())))
    return { ok: false, kind: 'conflict', message: 'This request was decided a moment ago.' };
  await logActivity(ctx, {
    ...approvalEntry(row, checkerId, 'approval.rejected'),
    details: { ...approvalEntry(row, checkerId, 'approval.rejected').details, reason: reason.trim() },
  });
  return { ok: true, message: 'Rejected: nothing was changed.' };
}

/** Only the maker withdraws their own pending request: for anyone else there is no such request of theirs (404). */
export async function withdrawRequest(ctx: AppContext, makerId: number, row: ChangeRequest): Promise<DecisionResult> {
  if (row.makerId !== makerId) return { ok: false, kind: 'not-found', message: 'You have no such request.' };
  if (row.state !== 'pending') return { ok: false, kind: 'conflict', message: `This request is already ${row.state}.`, current: row.state };
  if (!(await close(ctx.db, ctx, row.id, 'withdrawn', makerId, null)))
    return { ok: false, kind: 'conflict', message: 'This request was decided a moment ago.' };
  await logActivity(ctx, approvalEntry(row, makerId, 'approval.withdrawn'));
  return { ok: true, message: 'Withdrawn.' };
}

function approvalEntry(row: ChangeRequest, actorId: number, action: string) {
  return {
    userId: actorId,
    action,
    resourceType: 'change_request',
    resourceId: row.id,
    companyId: row.companyId,
    details: { action: row.action, targetId: row.targetId, makerId: row.makerId, madeAt: row.createdAt.toISOString(), remark: row.remark } as Record<
      string,
      unknown
    >,
  };
}
