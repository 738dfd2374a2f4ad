import { eq } from 'drizzle-orm';
import { users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { logActivity } from '../audit/activity-log.server';
import { clearFailures, countFailure, isLocked, lockoutPolicy } from './lockout.server';
import { hashPassword, verifyPassword } from './password.server';
import { passwordProblem } from './password-policy.server';
import { endAllSessions } from './sessions.server';

export type ChangePasswordResult = { ok: true } | { ok: false; field: 'currentPassword' | 'newPassword'; message: string };

const NOT_CURRENT = 'That is not your current password.';

/**
 * Changes a password after checking the current one; ends every session of the user. A wrong
 * current password counts toward the same lockout as sign-in (decision 090), and while the account
 * is locked the change is refused with the same answer, even with the right current password.
 */
export async function changePassword(
  ctx: AppContext,
  userId: number,
  input: { currentPassword: string; newPassword: string; userAgent: string | null },
): Promise<ChangePasswordResult> {
  const now = ctx.clock.now();
  const audit = { userId, resourceType: 'user' as const, resourceId: userId, userAgent: input.userAgent };
  const [user] = await ctx.db.select().from(users).where(eq(users.id, userId)).limit(1);
  const refuseLocked = async (): Promise<ChangePasswordResult> => {
    await logActivity(ctx, { ...audit, action: 'auth.password_change_refused_locked' });
    return { ok: false, field: 'currentPassword', message: NOT_CURRENT };
  };
  if (user && isLocked(user.lockedUntil, now)) return refuseLocked();
  if (!user || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    const policy = await lockoutPolicy(ctx);
    const counted = user ? await countFailure(ctx, userId, policy, now) : null;
    if (counted && !counted.counted) return refuseLocked();
    await logActivity(ctx, { ...audit, action: 'auth.password_change_failed', details: counted ? { failures: counted.failures } : undefined });
    if (counted?.locked) await logActivity(ctx, { ...audit, action: 'auth.locked', details: { minutes: policy.lockMinutes } });
    return { ok: false, field: 'currentPassword', message: NOT_CURRENT };
  }
  const problem = passwordProblem(input.newPassword, user);
  if (problem) return { ok: false, field: 'newPassword', message: problem };
  if (await verifyPassword(input.newPassword, user.passwordHash)) {
    return { ok: false, field: 'newPassword', message: 'Choose a password different from the current one.' };
  }
  // The right current password: a lock set while it was being checked still refuses the change.
  if (!(await clearFailures(ctx, userId, now))) return refuseLocked();
  const passwordHash = await hashPassword(input.newPassword, ctx.env.BCRYPT_COST); // hashed before the write turn, not in it
  await ctx.db.update(users).set({ passwordHash, mustChangePassword: false, passwordChangedAt: now }).where(eq(users.id, userId));
  const ended = await endAllSessions(ctx, userId, 'password_changed');
  await logActivity(ctx, {
    userId,
    action: 'auth.password_changed',
    resourceType: 'user',
    resourceId: userId,
    details: { sessionsEnded: ended },
    userAgent: input.userAgent,
  });
  return { ok: true };
}
