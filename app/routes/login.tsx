import { json, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import type { MetaFunction } from '@remix-run/react';
import { Form, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import { endReplacedSession, startSession } from '../core/access/sessions.server';
import { authenticatorFor, SignInError } from '../web/authenticator.server';
import { currentSession } from '../web/require-staff.server';
import { safeRedirect } from '../web/safe-redirect';
import { replyFor, valueOf } from '../core/forms/form-reply';
import { formFailure, readRequestForm, replyOf } from '../web/form-protocol.server';
import { readSessionToken } from '../web/session-cookie.server';
import { sessionCookies } from '../web/session-hint.server';

export const meta: MetaFunction = () => [{ title: 'Sign in · Client Updater' }];

// Served without JavaScript: the first page a phone opens with nothing cached is a plain form
// (85 KB of framework for a pending label is not worth it; root.tsx reads this handle).
export const handle = { hydrate: false };

const genericFailure = 'That email and password did not work, or the account is locked. Please try again later or ask your admin.';

export const headers: HeadersFunction = ({ actionHeaders, errorHeaders }) => {
  const out = new Headers();
  const retryAfter = actionHeaders.get('Retry-After') ?? errorHeaders?.get('Retry-After');
  if (retryAfter) out.set('Retry-After', retryAfter);
  return out;
};

export async function loader(args: LoaderFunctionArgs) {
  if (await currentSession(args)) throw redirect('/clients');
  return null;
}

/** The wait a 503 asks for while the rate limiter's store is unreachable (the gate's serviceUnavailable default). */
const LIMITER_DOWN_RETRY_SECONDS = 30;

export async function action(args: ActionFunctionArgs) {
  const ctx = args.context.app;
  const redirectTo = safeRedirect(new URL(args.request.url).searchParams.get('redirectTo'));
  // The body is read once, through the one guarded reader (413/415/400, never a 500); remix-auth
  // gets the same fields as a plain form.
  const form = await readRequestForm(args.request);
  const fields = new URLSearchParams([...form].map(([name, value]): [string, string] => [name, typeof value === 'string' ? value : '']));
  const request = new Request(args.request.url, { method: 'POST', body: fields, headers: { 'user-agent': args.request.headers.get('user-agent') ?? '' } });
  try {
    const user = await authenticatorFor(ctx).authenticate('form', request);
    // The session this browser still held (same or another account) ends: one device, one live session.
    await endReplacedSession(ctx, readSessionToken(ctx, args.request));
    const { token, expiresAt } = await startSession(ctx, user.id, { userAgent: request.headers.get('user-agent') });
    ctx.state.userId = user.id;
    const headers = new Headers();
    for (const cookie of await sessionCookies(ctx, token, user.id, expiresAt)) headers.append('Set-Cookie', cookie);
    return redirect(user.mustChangePassword ? '/account/password' : redirectTo, { headers });
  } catch (error) {
    if (!(error instanceof SignInError)) throw error;
    // The reply keeps the email only: a password is never sent back.
    const values = { email: error.detail.email ?? '' };
    switch (error.code) {
      case 'INVALID_INPUT':
        return formFailure(replyOf({ values, fieldErrors: error.detail.fieldErrors ?? {} }));
      case 'RATE_LIMITED':
        return json(replyOf({ values, formError: `Too many sign-in attempts. Please wait ${error.detail.retryAfter} seconds.` }), {
          status: 429,
          headers: { 'Retry-After': String(error.detail.retryAfter) },
        });
      case 'LIMITER_DOWN':
        // The store is down, not this person: say when to come back, as a 429 does (issue 14, "Faults").
        return json(replyOf({ values, formError: 'Sign-in is paused for a moment. Please try again shortly.' }), {
          status: 503,
          headers: { 'Retry-After': String(LIMITER_DOWN_RETRY_SECONDS) },
        });
      default:
        return formFailure(replyOf({ values, formError: genericFailure }), 401);
    }
  }
}

export default function Login() {
  const data = replyFor(useActionData<typeof action>());
  const [params] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  return (
    <div className="login card">
      <h1>Sign in</h1>
      {data?.formError ? (
        <p className="banner error" role="alert" data-testid="login-error">
          {data.formError}
        </p>
      ) : null}
      <Form method="post" action={`/login${params.get('redirectTo') ? `?redirectTo=${encodeURIComponent(params.get('redirectTo')!)}` : ''}`}>
        <div>
          <label htmlFor="email">Email</label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            defaultValue={valueOf(data, 'email')}
            aria-invalid={Boolean(data?.fieldErrors?.email)}
            aria-describedby="email-error"
          />
          {data?.fieldErrors?.email ? (
            <p id="email-error" className="error">
              {data.fieldErrors.email}
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            aria-invalid={Boolean(data?.fieldErrors?.password)}
            aria-describedby="password-error"
          />
          {data?.fieldErrors?.password ? (
            <p id="password-error" className="error">
              {data.fieldErrors.password}
            </p>
          ) : null}
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </Form>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../ui/general-error-boundary';
