import { eq } from 'drizzle-orm';
import { users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { logActivity } from '../audit/activity-log.server';
import { hashPassword, verifyPassword } from './password.server';
import { passwordProblem } from './password-policy.server';
import { endAllSessions } from './sessions.server';

export type ChangePasswordResult = { ok: true } | { ok: false; field: 'currentPassword' | 'newPassword'; message: string };

/** Changes a password after checking the current one; ends every session of the user. */
export async function changePassword(
  ctx: AppContext,
  userId: number,
  input: { currentPassword: string; newPassword: string; userAgent: string | null },
): Promise<ChangePasswordResult> {
  const [user] = await ctx.db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    await logActivity(ctx, { userId, action: 'auth.password_change_failed', resourceType: 'user', resourceId: userId, userAgent: input.userAgent });
    return { ok: false, field: 'currentPassword', message: 'That is not your current password.' };
  }
  const problem = passwordProblem(input.newPassword, user);
  if (problem) return { ok: false, field: 'newPassword', message: problem };
  if (await verifyPassword(input.newPassword, user.passwordHash)) {
    return { ok: false, field: 'newPassword', message: 'Choose a password different from the current one.' };
  }
  const now = ctx.clock.now();
  await ctx.db
    .update(users)
    .set({ passwordHash: await hashPassword(input.newPassword, ctx.env.BCRYPT_COST), mustChangePassword: false, passwordChangedAt: now })
    .where(eq(users.id, userId));
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
