import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { logActivity } from '../audit/activity-log.server';
import { clearFailures, countFailure, isLocked, lockoutPolicy } from './lockout.server';
import { numberSetting } from '../config/settings.server';
import { checkPassword, dummyHash, hashPassword } from './password.server';

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().email('Enter your email address.').max(254),
  password: z.string().min(1, 'Enter your password.').max(128),
});

export type SignInFailure = 'INVALID_CREDENTIALS' | 'LOCKED';

/** How long a temporary password (new account, admin reset) may be used, unless the setting says otherwise. */
export const TEMPORARY_PASSWORD_HOURS = 72;
export type SignInResult =
  { ok: true; user: { id: number; email: string; fullName: string; mustChangePassword: boolean } } | { ok: false; code: SignInFailure };

/**
 * Checks a password with equal work for unknown users, counts consecutive failures and locks the
 * account after the limit. A locked account is refused even with the right password, and the
 * caller shows one generic message for every failure. The count and the lock are decided by one
 * UPDATE on the row (lockout.server.ts), never from the read above, so concurrent guesses lock too.
 */
export async function signIn(ctx: AppContext, input: { email: string; password: string; userAgent: string | null }): Promise<SignInResult> {
  const policy = await lockoutPolicy(ctx);
  const now = ctx.clock.now();
  const [user] = await ctx.db.select().from(users).where(eq(users.email, input.email)).limit(1);
  const usable = user && user.isActive && !user.deletedAt;
  const check = await checkPassword(input.password, usable ? user.passwordHash : await dummyHash(ctx.env.BCRYPT_COST), ctx.env.BCRYPT_COST);
  const passwordOk = check.ok;
  const audit = { userAgent: input.userAgent, resourceType: 'user' as const };

  if (!usable) {
    // The same UPDATE a known account's failure costs, on no row: an unknown email takes as long.
    await countFailure(ctx, 0, policy, now);
    await logActivity(ctx, { ...audit, action: 'auth.login_failed', details: { reason: user ? 'inactive' : 'unknown_user' } });
    return { ok: false, code: 'INVALID_CREDENTIALS' };
  }
  const refuseLocked = async (): Promise<SignInResult> => {
    await logActivity(ctx, { ...audit, userId: user.id, resourceId: user.id, action: 'auth.login_refused_locked' });
    return { ok: false, code: 'LOCKED' };
  };
  if (isLocked(user.lockedUntil, now)) return refuseLocked();
  if (!passwordOk) {
    const counted = await countFailure(ctx, user.id, policy, now);
    if (!counted.counted) return refuseLocked(); // locked by a concurrent failure since the read
    await logActivity(ctx, { ...audit, userId: user.id, resourceId: user.id, action: 'auth.login_failed', details: { failures: counted.failures } });
    if (counted.locked) {
      await logActivity(ctx, { ...audit, userId: user.id, resourceId: user.id, action: 'auth.locked', details: { minutes: policy.lockMinutes } });
    }
    return { ok: false, code: counted.locked ? 'LOCKED' : 'INVALID_CREDENTIALS' };
  }
  // A temporary password (must_change_password) works for a limited time after it was issued.
  if (user.mustChangePassword && (await temporaryPasswordExpired(ctx, user.passwordChangedAt ?? user.createdAt, now))) {
    await logActivity(ctx, { ...audit, userId: user.id, resourceId: user.id, action: 'auth.login_refused_expired_temporary' });
    return { ok: false, code: 'INVALID_CREDENTIALS' };
  }
  // The right password, but a lock set while it was being checked still refuses it.
  if (!(await clearFailures(ctx, user.id, now, { signIn: true }))) return refuseLocked();
  // A hash below today's cost (or a long password's pre-SHA-256 hash) is made again while the password is at hand.
  if (check.rehash) {
    const passwordHash = await hashPassword(input.password, ctx.env.BCRYPT_COST); // hashed before the write turn, not in it
    await ctx.db.update(users).set({ passwordHash }).where(eq(users.id, user.id));
  }
  await logActivity(ctx, { ...audit, userId: user.id, resourceId: user.id, action: 'auth.login' });
  return { ok: true, user: { id: user.id, email: user.email, fullName: user.fullName, mustChangePassword: user.mustChangePassword } };
}

async function temporaryPasswordExpired(ctx: AppContext, issuedAt: Date | null, now: Date): Promise<boolean> {
  if (!issuedAt) return false;
  const hours = await numberSetting(ctx, 'temporary_password_hours', TEMPORARY_PASSWORD_HOURS);
  return now.getTime() - issuedAt.getTime() > hours * 3_600_000;
}
