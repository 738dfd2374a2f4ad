import { and, eq, ne } from 'drizzle-orm';
import { users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { logActivity } from '../audit/activity-log.server';
import { createUserSchema } from './create-user.server';

export const updateProfileSchema = createUserSchema;

/** Changes name and email; logs only the fields that changed, with old and new values. */
export async function updateProfile(
  ctx: AppContext,
  actorId: number,
  userId: number,
  input: { email: string; fullName: string },
): Promise<{ ok: true } | { ok: false; field: 'email'; message: string }> {
  const [taken] = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.email, input.email), ne(users.id, userId)))
    .limit(1);
  if (taken) return { ok: false, field: 'email', message: 'Another user has this email.' };
  const [before] = await ctx.db.select({ email: users.email, fullName: users.fullName }).from(users).where(eq(users.id, userId));
  const changed = (Object.keys(input) as Array<keyof typeof input>).filter((k) => before[k] !== input[k]);
  if (changed.length === 0) return { ok: true };
  await ctx.db.update(users).set(input).where(eq(users.id, userId));
  await logActivity(ctx, {
    userId: actorId,
    action: 'user.updated',
    resourceType: 'user',
    resourceId: userId,
    details: { old: Object.fromEntries(changed.map((k) => [k, before[k]])), new: Object.fromEntries(changed.map((k) => [k, input[k]])) },
  });
  return { ok: true };
}
