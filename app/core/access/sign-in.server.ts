import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { logActivity } from '../audit/activity-log.server';
import { numberSetting } from '../config/settings.server';
import { dummyHash, verifyPassword } from './password.server';

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().email('Enter your email address.').max(254),
  password: z.string().min(1, 'Enter your password.').max(128),
});

export type SignInFailure = 'INVALID_CREDENTIALS' | 'LOCKED';
export type SignInResult =
  { ok: true; user: { id: number; email: string; fullName: string; mustChangePassword: boolean } } | { ok: false; code: SignInFailure };

/**
 * Checks a password with equal work for unknown users, counts consecutive failures and locks the
 * account after the limit. A locked account is refused even with the right password, and the
 * caller shows one generic message for every failure.
 */
export async function signIn(ctx: AppContext, input: { email: string; password: string; userAgent: string | null }): Promise<SignInResult> {
  const maxFailures = await numberSetting(ctx, 'login_lockout_threshold', 5);
  const lockMinutes = await numberSetting(ctx, 'login_lockout_minutes', 15);
  const now = ctx.clock.now();
  const [user] = await ctx.db.select().from(users).where(eq(users.email, input.email)).limit(1);
  const usable = user && user.isActive && !user.deletedAt;
  const passwordOk = await verifyPassword(input.password, usable ? user.passwordHash : await dummyHash(ctx.env.BCRYPT_COST));
  const audit = { userAgent: input.userAgent, resourceType: 'user' as const };

  if (!usable) {
    await logActivity(ctx, { ...audit, action: 'auth.login_failed', details: { reason: user ? 'inactive' : 'unknown_user' } });
    return { ok: false, code: 'INVALID_CREDENTIALS' };
  }
  if (user.lockedUntil && user.lockedUntil.getTime() > now.getTime()) {
    await logActivity(ctx, { ...audit, userId: user.id, resourceId: user.id, action: 'auth.login_refused_locked' });
    return { ok: false, code: 'LOCKED' };
  }
  // A lock that has run out starts a fresh count: "5 consecutive failures" after the lock, not 1.
  const lockExpired = Boolean(user.lockedUntil && user.lockedUntil.getTime() <= now.getTime());
  if (!passwordOk) {
    const failures = (lockExpired ? 0 : user.failedLoginCount) + 1;
    const lock = failures >= maxFailures;
    await ctx.db
      .update(users)
      .set({
        failedLoginCount: lockExpired ? 1 : sql`${users.failedLoginCount} + 1`,
        lockedUntil: lock ? new Date(now.getTime() + lockMinutes * 60_000) : lockExpired ? null : user.lockedUntil,
      })
      .where(eq(users.id, user.id));
    await logActivity(ctx, { ...audit, userId: user.id, resourceId: user.id, action: 'auth.login_failed', details: { failures } });
    if (lock) await logActivity(ctx, { ...audit, userId: user.id, resourceId: user.id, action: 'auth.locked', details: { minutes: lockMinutes } });
    return { ok: false, code: lock ? 'LOCKED' : 'INVALID_CREDENTIALS' };
  }
  await ctx.db
    .update(users)
    .set({ failedLoginCount: 0, lockedUntil: null, lastLoginAt: now, loginCount: sql`${users.loginCount} + 1` })
    .where(eq(users.id, user.id));
  await logActivity(ctx, { ...audit, userId: user.id, resourceId: user.id, action: 'auth.login' });
  return { ok: true, user: { id: user.id, email: user.email, fullName: user.fullName, mustChangePassword: user.mustChangePassword } };
}
