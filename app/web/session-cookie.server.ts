import { parse, serialize } from 'cookie';
import type { AppContext } from '../platform/context';
import { cookieIsSecure } from '../platform/env';

/** `__Host-` in production pins the cookie to our exact origin (Secure, Path=/, no Domain). */
export function sessionCookieName(ctx: AppContext): string {
  return ctx.env.NODE_ENV === 'production' && cookieIsSecure(ctx.env) ? '__Host-cu_session' : 'cu_session';
}

export function readSessionToken(ctx: AppContext, request: Request): string | null {
  const header = request.headers.get('cookie');
  if (!header) return null;
  return parse(header)[sessionCookieName(ctx)] ?? null;
}

export function sessionCookie(ctx: AppContext, token: string, expiresAt: Date): string {
  // Max-Age, not Expires: the browser measures Expires against its own wall clock, while expiresAt
  // comes from ctx.clock (pinned by APP_FIXED_NOW in demos/e2e), so a past pinned date dropped the cookie.
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - ctx.clock.now().getTime()) / 1000));
  return serialize(sessionCookieName(ctx), token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: cookieIsSecure(ctx.env),
    path: '/',
    maxAge,
  });
}

export function clearedSessionCookie(ctx: AppContext): string {
  return serialize(sessionCookieName(ctx), '', {
    httpOnly: true,
    sameSite: 'lax',
    secure: cookieIsSecure(ctx.env),
    path: '/',
    maxAge: 0,
  });
}
