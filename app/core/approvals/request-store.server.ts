// The maker's side of every checked action (decision 101): a pending request instead of a write,
// and the one place a request is closed (decide, reject, withdraw, expire).
import { and, eq } from 'drizzle-orm';
import { changeRequests, type ChangeRequestState } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { logActivity } from '../audit/activity-log.server';
import type { WriteTx } from './checked-action.server';
import { requestExpiry } from './checker-rules.server';
import { REMARK_LIMITS, type CheckedAction } from './checked-actions';

/** What the maker is told when a change became a request (post/redirect/get flash). */
export const waitingMessage = (requestId: number) => `Waiting for approval (request ${requestId}): nothing changes until another admin approves it.`;

/** Why a remark cannot be taken, or null. */
export function remarkIssue(remark: string | null | undefined): string | null {
  const text = (remark ?? '').trim();
  if (text.length < REMARK_LIMITS.min) return `Say why, in at least ${REMARK_LIMITS.min} characters.`;
  if (text.length > REMARK_LIMITS.max) return `Keep it under ${REMARK_LIMITS.max} characters.`;
  return null;
}

/** JSON with object keys sorted at every level: two states are the same when these strings are equal. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * A form's version of the target against the target's version now: null when it matches (or the
 * form named none), else why not and the answer's status (a version not yet reached is 400, an
 * older one 409).
 */
export function versionIssue(asked: number | null | undefined, current: number): { status: 400 | 409; message: string } | null {
  if (asked === null || asked === undefined || asked === current) return null;
  if (asked > current) return { status: 400, message: `Version ${asked} does not exist yet (it is ${current} now): reload the page.` };
  return { status: 409, message: 'It changed since you opened it: reload the page and make your change again.' };
}

export type AskInput = {
  action: CheckedAction;
  companyId: number;
  branchId?: number | null;
  targetType: string;
  targetId: number;
  payload: Record<string, unknown>;
  before: Record<string, unknown>;
  remark: string;
  makerId: number;
};

/** Stores a pending request (one pending per action+target; a second is refused), logs approval.requested. */
export async function askForChange(
  ctx: AppContext,
  tx: WriteTx | null,
  input: AskInput,
): Promise<{ ok: true; requestId: number } | { ok: false; message: string }> {
  const issue = remarkIssue(input.remark);
  if (issue) return { ok: false, message: issue };
  const expiresAt = await requestExpiry(ctx);
  const store = async (w: WriteTx) => {
    const [waiting] = await w
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
    if (waiting) return { ok: false as const, message: `A change to this already waits for approval (request ${waiting.id}): withdraw it first.` };
    const [row] = await w
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
      w,
    );
    return { ok: true as const, requestId: row.id };
  };
  return tx ? store(tx) : ctx.write(store);
}

/** Closes a pending request (one UPDATE guarded by state = pending: two checkers cannot both decide it). */
export async function closeRequest(
  db: Pick<AppContext['db'], 'update'>,
  ctx: AppContext,
  id: number,
  state: Exclude<ChangeRequestState, 'pending'>,
  by: number | null,
  remark: string | null,
): Promise<boolean> {
  const done = await db
    .update(changeRequests)
    .set({ state, checkerId: by, decisionRemark: remark, decidedAt: ctx.clock.now() })
    .where(and(eq(changeRequests.id, id), eq(changeRequests.state, 'pending')))
    .returning({ id: changeRequests.id });
  return done.length === 1;
}
