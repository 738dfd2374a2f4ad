import { eq } from 'drizzle-orm';
import { Authenticator } from 'remix-auth';
import { users } from '../../db/schema';
import { FormStrategy } from 'remix-auth-form';
import { signIn, signInSchema } from '../core/access/sign-in.server';
import { logActivity } from '../core/audit/activity-log.server';
import { maskText } from '../platform/logger';
import type { AppContext } from '../platform/context';
import { checkLimit } from '../platform/rate-limit/check-limit';
import { retryAfterSeconds } from '../platform/rate-limit/limiter';

export type SignedInUser = { id: number; email: string; fullName: string; mustChangePassword: boolean };

export class SignInError extends Error {
  constructor(
    readonly code: 'INVALID_INPUT' | 'INVALID_CREDENTIALS' | 'LOCKED' | 'RATE_LIMITED' | 'LIMITER_DOWN',
    readonly detail: { fieldErrors?: Record<string, string>; retryAfter?: number; email?: string } = {},
  ) {
    super(code);
  }
}

/** remix-auth's FormStrategy around our sign-in rules; built per request because it needs the context. */
export function authenticatorFor(ctx: AppContext): Authenticator<SignedInUser> {
  const authenticator = new Authenticator<SignedInUser>();
  authenticator.use(
    new FormStrategy(async ({ form, request }) => {
      const parsed = signInSchema.safeParse({ email: form.get('email') ?? '', password: form.get('password') ?? '' });
      const email = typeof form.get('email') === 'string' ? String(form.get('email')).slice(0, 254) : '';
      if (!parsed.success) {
        const fieldErrors: Record<string, string> = {};
        for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
        throw new SignInError('INVALID_INPUT', { fieldErrors, email });
      }
      // Per IP first (a shared office IP gets a larger allowance), then per username.
      for (const [policy, key] of [
        ['loginIp', `ip:${ctx.clientIp}`],
        ['loginUser', `user:${parsed.data.email}`],
      ] as const) {
        const limit = await checkLimit(ctx, policy, key);
        if (limit.storeDown) throw new SignInError('LIMITER_DOWN', { email });
        if (!limit.success) {
          // Refused before any password check, but still a sign-in attempt the auditor must see.
          const [known] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, parsed.data.email)).limit(1);
          await logActivity(ctx, {
            userId: known?.id ?? null,
            action: 'auth.login_rate_limited',
            resourceType: 'user',
            resourceId: known?.id,
            details: { policy, email: maskText(parsed.data.email) },
            userAgent: request.headers.get('user-agent'),
          });
          throw new SignInError('RATE_LIMITED', { retryAfter: retryAfterSeconds(limit, ctx.clock.now().getTime()), email });
        }
      }
      const result = await signIn(ctx, { ...parsed.data, userAgent: request.headers.get('user-agent') });
      if (!result.ok) throw new SignInError(result.code, { email });
      return result.user;
    }),
    'form',
  );
  return authenticator;
}
