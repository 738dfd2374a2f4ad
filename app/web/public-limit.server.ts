import type { LoaderFunctionArgs } from '@remix-run/server-runtime';
import { checkLimit } from '../platform/rate-limit/check-limit';
import { retryAfterSeconds } from '../platform/rate-limit/limiter';
import { tooManyRequests } from './http-errors.server';

/** The gate for public pages: no sign-in, a per-IP limit (public policy). */
export async function requirePublicLimit(args: Pick<LoaderFunctionArgs, 'context'>) {
  const ctx = args.context.app;
  const limit = await checkLimit(ctx, 'public', `ip:${ctx.clientIp}`);
  if (!limit.success) tooManyRequests(retryAfterSeconds(limit, ctx.clock.now().getTime()));
}
