import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import type { MetaFunction } from '@remix-run/react';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { changePassword } from '../core/access/change-password.server';
import { changePasswordSchema } from '../core/access/password-policy.server';
import { startSession } from '../core/access/sessions.server';
import { requireSignedIn } from '../web/require-staff.server';
import { redirectWithFlash } from '../web/flash.server';
import { replyFor } from '../core/forms/form-reply';
import { failWith, formFailure, readFormData, readRequestForm } from '../web/form-protocol.server';
import { sessionCookies } from '../web/session-hint.server';

export const meta: MetaFunction = () => [{ title: 'Change password · Client Updater' }];

type Fields = 'currentPassword' | 'newPassword' | 'confirmPassword';

export async function loader(args: LoaderFunctionArgs) {
  const session = await requireSignedIn(args, { route: 'account-password', limit: 'read' });
  return json({ mustChange: session.user.mustChangePassword });
}

export async function action(args: ActionFunctionArgs) {
  // Each attempt costs a bcrypt check of the current password: the gate's write limit keeps guessing slow.
  const session = await requireSignedIn(args, { route: 'account-password', limit: 'write' });
  const ctx = args.context.app;
  // The reply never carries the passwords back (FormReply drops them): they are typed again.
  const read = readFormData(await readRequestForm(args.request), changePasswordSchema);
  if (!read.ok) return formFailure(read.reply);
  const result = await changePassword(ctx, session.user.id, { ...read.data, userAgent: args.request.headers.get('user-agent') });
  if (!result.ok) return failWith(read.values, result);
  // Every session ended with the change; this device gets a fresh one (two Set-Cookie: session and flash).
  const { token, expiresAt } = await startSession(ctx, session.user.id, { userAgent: args.request.headers.get('user-agent') });
  return redirectWithFlash(ctx, '/clients', 'Password changed. Your other sessions were ended.', {
    headers: (await sessionCookies(ctx, token, session.user.id, expiresAt)).map((cookie): [string, string] => ['Set-Cookie', cookie]),
  });
}

export default function ChangePassword() {
  const { mustChange } = useLoaderData<typeof loader>();
  const data = replyFor(useActionData<typeof action>());
  const busy = useNavigation().state === 'submitting';
  const field = (name: Fields, label: string, autoComplete: string) => (
    <div>
      <label htmlFor={name}>{label}</label>
      <input id={name} name={name} type="password" autoComplete={autoComplete} required aria-invalid={Boolean(data?.fieldErrors?.[name])} />
      {data?.fieldErrors?.[name] ? <p className="error">{data.fieldErrors[name]}</p> : null}
    </div>
  );
  return (
    <div className="login card">
      <h1>Change password</h1>
      {mustChange ? <p className="banner error">You must choose a new password before you go on.</p> : null}
      <p className="muted">12 to 128 characters. A few words you will remember work well.</p>
      <Form method="post">
        {field('currentPassword', 'Current password', 'current-password')}
        {field('newPassword', 'New password', 'new-password')}
        {field('confirmPassword', 'New password again', 'new-password')}
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Change password'}
        </button>
      </Form>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../ui/general-error-boundary';
