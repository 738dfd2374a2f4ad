// The maker's side of every checked action (decision 101): a pending request instead of the write.
// Minimal version for the status actions; engineer A's registry branch owns the full one (the lead
// reconciles on merge: same signature).
import { and, eq } from 'drizzle-orm';
import { changeRequests } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { logActivity } from '../audit/activity-log.server';
import type { WriteTx } from './checked-action.server';
import type { CheckedAction } from './checked-actions';
import { requestExpiry } from './checker-rules.server';
import { remarkIssue } from './grant-requests.server';

export interface ChangeAsked {
  action: CheckedAction;
  companyId: number;
  branchId?: number | null;
  targetType: string;
  targetId: number;
  payload: Record<string, unknown>;
  before: Record<string, unknown>;
  remark: string;
  makerId: number;
}

/** Stores a pending request (one pending per action+target; a second is refused), logs approval.requested. */
export async function askForChange(
  ctx: AppContext,
  tx: WriteTx | null,
  input: ChangeAsked,
): Promise<{ ok: true; requestId: number } | { ok: false; message: string }> {
  const issue = remarkIssue(input.remark);
  if (issue) return { ok: false, message: issue };
  const expiresAt = await requestExpiry(ctx);
  const store = async (db: WriteTx) => {
    const [waiting] = await db
      .select({ id: changeRequests.id })
      .from(changeRequests)
      .where(
        and(
          eq(changeRequests.action, input.action),
          eq(changeRequests.targetType, input.targetType),
          eq(changeRequests.targetId, input.targetId),
          eq(changeRequests.companyId, input.companyId),
          eq(changeRequests.state, 'pending'),
        ),
      );
    if (waiting) return { ok: false as const, message: `A change to this already waits for approval (request ${waiting.id}).` };
    const [row] = await db
      .insert(changeRequests)
      .values({
        companyId: input.companyId,
        branchId: input.branchId ?? null,
        action: input.action,
        targetType: input.targetType,
        targetId: input.targetId,
        payload: input.payload,
        before: input.before,
        remark: input.remark.trim(),
        makerId: input.makerId,
        expiresAt,
        requestId: ctx.requestId,
        createdAt: ctx.clock.now(),
      })
      .returning({ id: changeRequests.id });
    await logActivity(
      ctx,
      {
        userId: input.makerId,
        action: 'approval.requested',
        resourceType: 'change_request',
        resourceId: row.id,
        companyId: input.companyId,
        branchId: input.branchId ?? null,
        details: { action: input.action, targetType: input.targetType, targetId: input.targetId, old: input.before, new: input.payload },
      },
      db,
    );
    return { ok: true as const, requestId: row.id };
  };
  return tx ? store(tx) : ctx.write(store);
}
