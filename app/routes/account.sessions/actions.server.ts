import { type ActionFunctionArgs } from '@remix-run/server-runtime';
import { endOtherSessions, endSessionOfUser, sessionActionSchema } from '../../core/access/sessions.server';
import { logActivity } from '../../core/audit/activity-log.server';
import { redirectWithFlash } from '../../web/flash.server';
import { badRequest, notFound } from '../../web/http-errors.server';
import { requireSignedIn } from '../../web/require-staff.server';

export async function handleAction(args: ActionFunctionArgs) {
  const me = await requireSignedIn(args, { route: 'account-sessions', limit: 'write' });
  const ctx = args.context.app;
  const parsed = sessionActionSchema.safeParse(Object.fromEntries(await args.request.formData()));
  if (!parsed.success) badRequest('Unknown action.');
  const userAgent = args.request.headers.get('user-agent');
  if (parsed.data.intent === 'end-one') {
    if (!(await endSessionOfUser(ctx, me.user.id, parsed.data.sessionId, 'revoked_by_user'))) notFound();
    await logActivity(ctx, { userId: me.user.id, action: 'session.ended', resourceType: 'session', resourceId: parsed.data.sessionId, userAgent });
    if (parsed.data.sessionId === me.sessionId) return redirectWithFlash(ctx, '/login', 'This session was ended: sign in again.');
    return redirectWithFlash(ctx, '/account/sessions', 'Session ended.');
  }
  const ended = await endOtherSessions(ctx, me.user.id, me.sessionId);
  await logActivity(ctx, { userId: me.user.id, action: 'session.ended_others', resourceType: 'session', details: { ended }, userAgent });
  return redirectWithFlash(ctx, '/account/sessions', `${ended} other session(s) ended.`);
}
