import { redirect, type ActionFunctionArgs } from '@remix-run/server-runtime';
import { endSessionById } from '../core/access/sessions.server';
import { logActivity } from '../core/audit/activity-log.server';
import { currentSession } from '../web/require-staff.server';
import { redirectWithFlash } from '../web/flash.server';
import { clearedSessionCookies } from '../web/session-hint.server';

/** GET never signs out (a link or image must not end a session); the form POSTs. */
export async function loader() {
  return redirect('/clients');
}

export async function action(args: ActionFunctionArgs) {
  const ctx = args.context.app;
  const session = await currentSession(args);
  if (session) {
    await endSessionById(ctx, session.sessionId, 'logout');
    await logActivity(ctx, {
      userId: session.user.id,
      action: 'auth.logout',
      resourceType: 'session',
      resourceId: session.sessionId,
      userAgent: args.request.headers.get('user-agent'),
    });
  }
  return redirectWithFlash(ctx, '/login', 'You are signed out.', {
    headers: clearedSessionCookies(ctx).map((cookie): [string, string] => ['Set-Cookie', cookie]),
  });
}
