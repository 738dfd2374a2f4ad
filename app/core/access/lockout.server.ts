/**
 * The account lockout's count, decided by the database row itself (never from an earlier read):
 * one UPDATE … RETURNING counts a failure and sets the lock when the count reaches the threshold,
 * and a success clears the count only where no lock is set. So concurrent wrong guesses lock after
 * exactly `maxFailures`, and a right password verified while a lock was being set is refused.
 * Used by sign-in and by the change-password form's current-password check (decision 090).
 */
import { and, eq, isNull, lte, or, sql } from 'drizzle-orm';
import { users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { numberSetting } from '../config/settings.server';

export interface LockoutPolicy {
  maxFailures: number;
  lockMinutes: number;
}

export async function lockoutPolicy(ctx: AppContext): Promise<LockoutPolicy> {
  return {
    maxFailures: await numberSetting(ctx, 'login_lockout_threshold', 5),
    lockMinutes: await numberSetting(ctx, 'login_lockout_minutes', 15),
  };
}

export function isLocked(lockedUntil: Date | null, now: Date): boolean {
  return Boolean(lockedUntil && lockedUntil.getTime() > now.getTime());
}

/** No lock, or one that has run out at `now`: the only rows a failure is counted on or a success clears. */
const notLockedAt = (now: Date) => or(isNull(users.lockedUntil), lte(users.lockedUntil, now))!;

export type FailureCount = { counted: true; failures: number; locked: boolean } | { counted: false };

/**
 * Counts one failed password of the user. A lock that has run out starts a fresh count ("5
 * consecutive failures" after the lock, not 1). `counted: false`: the account was locked meanwhile
 * (by a concurrent failure); a refused attempt while locked neither counts nor extends the lock.
 */
export async function countFailure(ctx: AppContext, userId: number, policy: LockoutPolicy, now: Date): Promise<FailureCount> {
  const nowMs = now.getTime();
  // SQLite evaluates every SET expression on the row as it was: `next` is the same in both.
  const expired = sql`(${users.lockedUntil} IS NOT NULL AND ${users.lockedUntil} <= ${nowMs})`;
  const next = sql`(CASE WHEN ${expired} THEN 1 ELSE ${users.failedLoginCount} + 1 END)`;
  const [row] = await ctx.db
    .update(users)
    .set({
      failedLoginCount: next,
      lockedUntil: sql`CASE WHEN ${next} >= ${policy.maxFailures} THEN ${nowMs + policy.lockMinutes * 60_000} WHEN ${expired} THEN NULL ELSE ${users.lockedUntil} END`,
    })
    .where(and(eq(users.id, userId), notLockedAt(now)))
    .returning({ failures: users.failedLoginCount, lockedUntil: users.lockedUntil });
  if (!row) return { counted: false };
  return { counted: true, failures: row.failures, locked: isLocked(row.lockedUntil, now) };
}

/**
 * Clears the failure count after a right password (a sign-in also records itself in the same
 * statement); false when a lock is set, possibly by a failure counted while this password was checked.
 */
export async function clearFailures(ctx: AppContext, userId: number, now: Date, options: { signIn?: boolean } = {}): Promise<boolean> {
  const signIn = options.signIn ? { lastLoginAt: now, loginCount: sql`${users.loginCount} + 1` } : {};
  const rows = await ctx.db
    .update(users)
    .set({ ...signIn, failedLoginCount: 0, lockedUntil: null })
    .where(and(eq(users.id, userId), notLockedAt(now)))
    .returning({ id: users.id });
  return rows.length > 0;
}
