import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { maxLengthOf } from '../config/form-fields';
import { userFields } from './user-form-fields';
import { users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { hashPassword } from '../access/password.server';
import { logActivity } from '../audit/activity-log.server';
import { temporaryPassword } from './temporary-password';

export const createUserSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .email('Enter a valid email address.')
    .max(maxLengthOf(userFields.email)!, `Use at most ${maxLengthOf(userFields.email)} characters.`),
  fullName: z
    .string()
    .trim()
    .min(2, 'Enter the full name.')
    .max(maxLengthOf(userFields.fullName)!, `Use at most ${maxLengthOf(userFields.fullName)} characters.`),
});

export type CreateUserResult = { ok: true; userId: number; temporaryPassword: string } | { ok: false; field: 'email'; message: string };

/**
 * Creates an account with a one-time temporary password (returned once, never stored in clear)
 * that must be changed at first sign-in. Grants and territory are given afterwards on the user's page.
 */
export async function createUser(ctx: AppContext, actorId: number, input: z.infer<typeof createUserSchema>): Promise<CreateUserResult> {
  const [existing] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
  if (existing) return { ok: false, field: 'email', message: 'A user with this email already exists.' };
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password, ctx.env.BCRYPT_COST);
  const [created] = await ctx.db
    .insert(users)
    .values({ email: input.email, fullName: input.fullName, passwordHash, mustChangePassword: true, passwordChangedAt: ctx.clock.now(), createdBy: actorId })
    .returning({ id: users.id });
  await logActivity(ctx, {
    userId: actorId,
    action: 'user.created',
    resourceType: 'user',
    resourceId: created.id,
    details: { new: { email: input.email, fullName: input.fullName } },
  });
  return { ok: true, userId: created.id, temporaryPassword: password };
}

/** The form of /admin/users/new: the user plus an optional role template and territory. */
export const newUserSchema = createUserSchema.extend({
  roleTemplate: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,40}$/, 'Choose a role.')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  companyId: z.coerce.number().int().positive('Choose a company.').optional(),
  branchIds: z.array(z.coerce.number().int().positive()).max(200, 'At most 200 branches.'),
});
