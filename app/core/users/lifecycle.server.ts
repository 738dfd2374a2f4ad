import { eq } from 'drizzle-orm';
import { users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { forgetAccess } from '../access/access.server';
import { hashPassword } from '../access/password.server';
import { endAllSessions } from '../access/sessions.server';
import { logActivity } from '../audit/activity-log.server';
import { temporaryPassword } from './temporary-password';
import { bumpAccessVersion } from './access-version.server';
import type { ChangeApproval } from './grants.server';

/**
 * Deactivates or reactivates a user in one transaction that reads the state it changes; deactivation
 * then ends every session at once (the next request of that user is signed out). With an approval
 * (decision 101) its `decide` runs first in that transaction with { isActive } now: a conflict writes nothing.
 */
export async function setUserActive(
  ctx: AppContext,
  actorId: number,
  userId: number,
  active: boolean,
  approval?: ChangeApproval,
): Promise<{ ok: true } | { ok: false; message: string; conflict?: boolean }> {
  const done = await ctx.write(async (tx) => {
    const [before] = await tx.select({ isActive: users.isActive }).from(users).where(eq(users.id, userId));
    if (approval) {
      const decided = await approval.decide(tx, { isActive: before?.isActive ?? null });
      if (!decided.ok) return { ok: false as const, message: decided.message, conflict: true };
    }
    await tx.update(users).set({ isActive: active }).where(eq(users.id, userId));
    await bumpAccessVersion(tx, userId);
    return { ok: true as const, before };
  });
  if (!done.ok) return done;
  const ended = active ? 0 : await endAllSessions(ctx, userId, 'deactivated');
  await forgetAccess(ctx, userId);
  await logActivity(ctx, {
    userId: actorId,
    action: active ? 'user.reactivated' : 'user.deactivated',
    resourceType: 'user',
    resourceId: userId,
    details: {
      old: { isActive: done.before?.isActive },
      new: { isActive: active },
      sessionsEnded: ended,
      ...(approval ? { approval: { requestId: approval.requestId, makerId: approval.makerId, checkerId: actorId } } : {}),
    },
  });
  return { ok: true };
}

export async function unlockUser(ctx: AppContext, actorId: number, userId: number) {
  const [before] = await ctx.db.select({ lockedUntil: users.lockedUntil, failed: users.failedLoginCount }).from(users).where(eq(users.id, userId));
  await ctx.db.update(users).set({ lockedUntil: null, failedLoginCount: 0 }).where(eq(users.id, userId));
  await logActivity(ctx, {
    userId: actorId,
    action: 'user.unlocked',
    resourceType: 'user',
    resourceId: userId,
    details: {
      old: { lockedUntil: before?.lockedUntil?.toISOString() ?? null, failedLoginCount: before?.failed },
      new: { lockedUntil: null, failedLoginCount: 0 },
    },
  });
}

/** A new one-time password (shown once); every session ends and the user must change it. */
export async function resetPassword(ctx: AppContext, actorId: number, userId: number): Promise<string> {
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password, ctx.env.BCRYPT_COST); // hashed before the write turn, not in it
  await ctx.db
    .update(users)
    .set({
      passwordHash,
      mustChangePassword: true,
      // When this temporary password was issued: its lifetime counts from here (sign-in.server.ts).
      passwordChangedAt: ctx.clock.now(),
      lockedUntil: null,
      failedLoginCount: 0,
    })
    .where(eq(users.id, userId));
  const ended = await endAllSessions(ctx, userId, 'password_changed');
  await logActivity(ctx, { userId: actorId, action: 'user.password_reset', resourceType: 'user', resourceId: userId, details: { sessionsEnded: ended } });
  return password;
}
