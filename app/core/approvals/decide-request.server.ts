import { eq } from 'drizzle-orm';
import { changeRequests, type ChangeRequest, type ChangeRequestState } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import type { StaffAccess } from '../access/staff-access.server';
import { logActivity } from '../audit/activity-log.server';
import type { Decide } from './checked-action.server';
import { handlerOf } from './handlers.server';
import { accountOfMaker } from './maker-accounts.server';
import { closeRequest, remarkIssue, stableJson } from './request-store.server';

/** The answer to a checker's or a maker's decision; the route maps kinds to 404, 403, 409, 400. */
export type DecisionResult =
  { ok: true; message: string } | { ok: false; kind: 'not-found' | 'forbidden' | 'conflict' | 'invalid'; message: string; current?: ChangeRequestState };

export type Checker = { userId: number; access: StaffAccess };

/**
 * A request the reader may see: its action's handler covers the reader (the checker's permission
 * over the target, company and territory), or the reader made it. null: 404.
 */
export async function requestInReach(ctx: AppContext, reader: Checker, requestId: number): Promise<ChangeRequest | null> {
  const [row] = await ctx.db.select().from(changeRequests).where(eq(changeRequests.id, requestId));
  if (!row) return null;
  const handler = handlerOf(row.action);
  if (handler?.covers(reader.access, row)) return row;
  return row.makerId === reader.userId ? row : null;
}

/** Checks shared by approve and reject: still pending, not expired, the reader may decide it, and is not the maker. */
async function openForDecision(ctx: AppContext, row: ChangeRequest, checker: Checker): Promise<DecisionResult | null> {
  // The maker's own request is in reach to withdraw; deciding it needs the handler to cover them.
  if (!handlerOf(row.action)?.covers(checker.access, row)) return { ok: false, kind: 'not-found', message: 'There is no such request.' };
  if (row.state !== 'pending') return { ok: false, kind: 'conflict', message: `This request is already ${row.state}.`, current: row.state };
  if (row.expiresAt.getTime() <= ctx.clock.now().getTime()) {
    await closeRequest(ctx.db, ctx, row.id, 'expired', null, null);
    return { ok: false, kind: 'conflict', message: 'This request has expired; ask for the change again.', current: 'expired' };
  }
  if (row.makerId === checker.userId) return { ok: false, kind: 'forbidden', message: 'You made this request: another admin must approve or reject it.' };
  if (await accountOfMaker(ctx, checker.userId, row.makerId, handlerOf(row.action)!.permission))
    return {
      ok: false,
      kind: 'forbidden',
      message: 'Your account was set up, or given this permission, by the admin who asked: another admin must approve or reject it.',
    };
  return null;
}

/**
 * Approval runs the action's direct path as the checker (handler.apply), so the checker's own
 * checks and privilege ceiling apply, in one transaction with closing the request: `decide` runs
 * inside it before anything is written and compares the target now with the request's `before`
 * (stable JSON). When it changed, nothing is applied: the request is closed as stale, 409.
 */
export async function approveRequest(ctx: AppContext, checker: Checker, row: ChangeRequest): Promise<DecisionResult> {
  const refused = await openForDecision(ctx, row, checker);
  if (refused) return refused;
  const handler = handlerOf(row.action)!;
  const parsed = handler.payload.safeParse(row.payload);
  if (!parsed.success) return { ok: false, kind: 'invalid', message: 'This request’s stored change is not valid any more; reject it and ask again.' };
  let stale = false;
  const decide: Decide = async (tx, current) => {
    if (stableJson(current) !== stableJson(row.before)) {
      stale = await closeRequest(tx, ctx, row.id, 'stale', checker.userId, 'It changed after the request was made.');
      return { ok: false, message: 'It changed after this request was made; it was not applied. Ask for the change again.' };
    }
    if (!(await closeRequest(tx, ctx, row.id, 'approved', checker.userId, null))) return { ok: false, message: 'This request was decided a moment ago.' };
    return { ok: true };
  };
  // Audit rows the direct path writes now name the request (maker, checker: app/core/audit/approval-trail).
  ctx.state.changeRequestId = row.id;
  const applied = await handler.apply(ctx, checker, row, parsed.data, decide).finally(() => {
    ctx.state.changeRequestId = undefined;
  });
  if (applied.ok) {
    await logActivity(ctx, approvalEntry(row, checker.userId, 'approval.approved'));
    return { ok: true, message: 'Approved: the change is in force.' };
  }
  if (applied.conflict) {
    if (stale) await logActivity(ctx, approvalEntry(row, checker.userId, 'approval.stale'));
    return { ok: false, kind: 'conflict', message: applied.message, current: stale ? 'stale' : undefined };
  }
  // The checker's own ceiling or reach: the request stays open for someone who may.
  return { ok: false, kind: 'forbidden', message: applied.message };
}

export async function rejectRequest(ctx: AppContext, checker: Checker, row: ChangeRequest, reason: string): Promise<DecisionResult> {
  const issue = remarkIssue(reason);
  if (issue) return { ok: false, kind: 'invalid', message: `Give a reason for the rejection: ${issue}` };
  const refused = await openForDecision(ctx, row, checker);
  if (refused) return refused;
  if (!(await closeRequest(ctx.db, ctx, row.id, 'rejected', checker.userId, reason.trim())))
    return { ok: false, kind: 'conflict', message: 'This request was decided a moment ago.' };
  const entry = approvalEntry(row, checker.userId, 'approval.rejected');
  await logActivity(ctx, { ...entry, details: { ...entry.details, reason: reason.trim() } });
  return { ok: true, message: 'Rejected: nothing was changed.' };
}

/** Only the maker withdraws their own pending request: for anyone else there is no such request of theirs (404). */
export async function withdrawRequest(ctx: AppContext, makerId: number, row: ChangeRequest): Promise<DecisionResult> {
  if (row.makerId !== makerId) return { ok: false, kind: 'not-found', message: 'You have no such request.' };
  if (row.state !== 'pending') return { ok: false, kind: 'conflict', message: `This request is already ${row.state}.`, current: row.state };
  if (!(await closeRequest(ctx.db, ctx, row.id, 'withdrawn', makerId, null)))
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
