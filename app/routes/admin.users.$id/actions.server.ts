import { z } from 'zod';
import { endAllSessions, endSessionOfUser } from '../../core/access/sessions.server';
import type { StaffScope } from '../../core/access/scope.server';
import { logActivity } from '../../core/audit/activity-log.server';
import { applyRoleTemplate, scopeLevels, setCompanyGrants } from '../../core/users/grants.server';
import { resetPassword, unlockUser } from '../../core/users/lifecycle.server';
import { updateProfile, updateProfileSchema } from '../../core/users/update-profile.server';
import { wideCompanyIds } from '../../core/access/scope.server';
import { userAdminRefusal } from '../../core/users/user-admin-rules';
import type { AppContext } from '../../platform/context';
import { redirectWithFlash, type FlashInput } from '../../web/flash.server';
import { fieldErrorsOf } from '../../web/form-errors';
import { formFailure, replyOf, valuesOf } from '../../web/form-protocol.server';
import { notFound } from '../../web/http-errors.server';
import { idField } from '../../core/ids/record-id';
import { needsChecker } from '../../core/approvals/checker-rules.server';
import { remarkIssue, requestGrantChange } from '../../core/approvals/grant-requests.server';
import { changeTerritory } from '../../core/approvals/actions/user-territory.server';
import { changeUserActive } from '../../core/approvals/actions/user-activate.server';
import { versionIssue, waitingMessage } from '../../core/approvals/request-store.server';
import { accessVersionOf } from '../../core/users/access-version.server';

const idList = z.array(idField('is not an id')).max(500);
const companyId = idField('Choose a company.');
/** The user's access version the page showed (users.access_version); optional for older pages. */
const version = z.union([z.literal('').transform(() => undefined), z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER)]).optional();

/** Flash of a change that became a request (decision 101). */
const waiting = (requestId: number): FlashInput => ({ type: 'success', message: waitingMessage(requestId) });

const intents = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('profile'), email: z.string(), fullName: z.string() }),
  z.object({ intent: z.literal('apply-role'), companyId, roleTemplate: z.string().regex(/^[A-Za-z0-9_]{1,40}$/, 'Choose a role.'), version }),
  z.object({ intent: z.literal('grants'), companyId, version }),
  z.object({ intent: z.literal('territory'), version }),
  z.object({ intent: z.enum(['deactivate', 'reactivate']), version }),
  z.object({ intent: z.enum(['unlock', 'reset-password', 'end-all-sessions']) }),
  z.object({ intent: z.literal('end-session'), sessionId: idField() }),
]);

/**
 * The user page's forms: each intent validated with zod, checked against the admin's scope, audited.
 * A refusal is a 400 FormReply naming the form's intent; a success redirects back to the user's page
 * with the flash (a reset's temporary password rides in it, shown once).
 */
export async function handleUserAdminAction(ctx: AppContext, admin: { userId: number; scope: StaffScope }, targetId: number, form: FormData) {
  const fail = (intent: string | null, message: string, fieldErrors: Record<string, string> = {}) =>
    formFailure(replyOf({ intent, formError: message, fieldErrors, values: valuesOf(form) }));
  const done = (flash: FlashInput | string) => redirectWithFlash(ctx, `/admin/users/${targetId}`, flash);
  const parsed = intents.safeParse({ ...Object.fromEntries(form) });
  if (!parsed.success) return fail(null, 'That form was not understood. Reload the page and try again.');
  const input = parsed.data;
  // A change of access asked on an outdated page (or with a forged version) is refused before anything is asked or written.
  if ('version' in input) {
    const stale = versionIssue(input.version, await accessVersionOf(ctx.db, targetId));
    if (stale) return formFailure(replyOf({ intent: input.intent, formError: stale.message, fieldErrors: {}, values: valuesOf(form) }), stale.status);
  }
  const remark = form.has('remark') ? String(form.get('remark')) : null;
  const refusal = userAdminRefusal(input.intent, {
    self: targetId === admin.userId,
    companyInReach: 'companyId' in input && wideCompanyIds(admin.scope).includes(input.companyId),
  });
  if (refusal) return fail(input.intent, refusal);
  switch (input.intent) {
    case 'profile': {
      const profile = updateProfileSchema.safeParse(input);
      if (!profile.success) return fail('profile', 'Check the highlighted fields.', fieldErrorsOf(profile.error.issues));
      const r = await updateProfile(ctx, admin.userId, targetId, profile.data);
      return r.ok ? done('Profile saved.') : fail('profile', r.message, { [r.field]: r.message });
    }
    case 'apply-role':
    case 'grants': {
      if (await needsChecker(ctx, input.companyId, 'user.grants')) return askForGrantChange(ctx, admin.userId, targetId, input, form, fail, done);
      if (input.intent === 'apply-role') {
        const r = await applyRoleTemplate(ctx, admin.userId, targetId, input.companyId, input.roleTemplate);
        return r.ok ? done('Role applied.') : fail(input.intent, r.message);
      }
      const wanted = grantsOfForm(form);
      if (typeof wanted === 'string') return fail(input.intent, wanted);
      const r = await setCompanyGrants(ctx, admin.userId, targetId, input.companyId, wanted);
      return r.ok ? done('Permissions saved.') : fail(input.intent, r.message);
    }
    case 'territory': {
      const branchIds = idList.safeParse(form.getAll('branchIds'));
      const areaIds = idList.safeParse(form.getAll('areaIds'));
      if (!branchIds.success || !areaIds.success) return fail('territory', 'Choose branches and areas from the lists.');
      const r = await changeTerritory(ctx, admin.scope, admin.userId, targetId, { branchIds: branchIds.data, areaIds: areaIds.data }, remark);
      if (!r.ok) return fail('territory', r.message, r.field ? { [r.field]: r.message } : {});
      return done(r.requestId ? waiting(r.requestId) : 'Territory saved.');
    }
    case 'deactivate':
    case 'reactivate': {
      const r = await changeUserActive(ctx, admin.userId, targetId, input.intent === 'reactivate', remark);
      if (!r.ok) return fail(input.intent, r.message, r.field ? { [r.field]: r.message } : {});
      if (r.requestId) return done(waiting(r.requestId));
      return done(input.intent === 'deactivate' ? 'User deactivated; their sessions ended.' : 'User reactivated.');
    }
    case 'unlock':
      await unlockUser(ctx, admin.userId, targetId);
      return done('User unlocked.');
    case 'reset-password':
      return done({
        type: 'success',
        message: 'Password reset; their sessions ended.',
        secret: { label: 'New temporary password, shown once', value: await resetPassword(ctx, admin.userId, targetId) },
      });
    case 'end-session':
      if (!(await endSessionOfUser(ctx, targetId, input.sessionId, 'revoked_by_admin'))) notFound();
      await logActivity(ctx, {
        userId: admin.userId,
        action: 'session.ended_by_admin',
        resourceType: 'user',
        resourceId: targetId,
        details: { sessionId: input.sessionId },
      });
      return done('Session ended.');
    case 'end-all-sessions': {
      const ended = await endAllSessions(ctx, targetId, 'revoked_by_admin');
      await logActivity(ctx, { userId: admin.userId, action: 'session.ended_all_by_admin', resourceType: 'user', resourceId: targetId, details: { ended } });
      return done(`${ended} session(s) ended.`);
    }
  }
}

/** The grants form's scopes by permission code, or why one is not a scope. */
function grantsOfForm(form: FormData): Record<string, (typeof scopeLevels)[number]> | string {
  const wanted: Record<string, (typeof scopeLevels)[number]> = {};
  for (const [key, value] of form) {
    if (!key.startsWith('grant:') || value === '') continue;
    if (!scopeLevels.includes(value as never)) return `Unknown scope "${String(value).slice(0, 20)}".`;
    wanted[key.slice('grant:'.length)] = value as (typeof scopeLevels)[number];
  }
  return wanted;
}

/** Where grants are checked (decision 101): the change becomes a pending request, nothing else is written. */
async function askForGrantChange(
  ctx: AppContext,
  makerId: number,
  targetId: number,
  input: { intent: 'grants'; companyId: number } | { intent: 'apply-role'; companyId: number; roleTemplate: string },
  form: FormData,
  fail: (intent: string | null, message: string, fieldErrors?: Record<string, string>) => Response,
  done: (flash: FlashInput | string) => Response,
) {
  const remark = String(form.get('remark') ?? '');
  const remarkProblem = remarkIssue(remark);
  if (remarkProblem) return fail(input.intent, remarkProblem, { remark: remarkProblem });
  let change: { grants: Record<string, (typeof scopeLevels)[number]> } | { roleTemplate: string };
  if (input.intent === 'apply-role') change = { roleTemplate: input.roleTemplate };
  else {
    const grants = grantsOfForm(form);
    if (typeof grants === 'string') return fail(input.intent, grants);
    change = { grants };
  }
  const r = await requestGrantChange(ctx, makerId, targetId, input.companyId, change, remark);
  if (!r.ok) return fail(input.intent, r.message);
  return done(waiting(r.requestId));
}
