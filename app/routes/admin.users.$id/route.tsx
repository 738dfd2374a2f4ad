import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Form, Link, useActionData, useLoaderData, type MetaFunction } from '@remix-run/react';
import { accessEditorOptions, recentActivityOf, sessionsOf, userAccessDetail, userInScope, userWithManageRight } from '../../core/users/user-detail.server';
import { ActivityTable } from '../../ui/admin/activity-table';
import { GrantsEditor } from '../../ui/admin/grants-editor';
import { SessionsTable } from '../../ui/admin/sessions-table';
import { TerritoryEditor } from '../../ui/admin/territory-editor';
import { Field } from '../../ui/field';
import { formatDateTime } from '../../ui/format';
import { replyFor, valueOf } from '../../core/forms/form-reply';
import { notFound } from '../../web/http-errors.server';
import { requestCompanies, requireStaff } from '../../web/require-staff.server';
import { idParam } from '../../web/route-id.server';
import { handleUserAdminAction } from './actions.server';
import { fieldProps } from '../../core/config/form-fields';
import { userFields } from '../../core/users/user-form-fields';
import { readRequestForm } from '../../web/form-protocol.server';
import { checkedAmong, checkerSettingsOf } from '../../core/approvals/checker-rules.server';
import { pendingRequestsAbout } from '../../core/approvals/list-requests.server';
import { companiesOfUser } from '../../core/approvals/actions/user-activate.server';
import { PendingRequests } from '../../ui/admin/pending-requests';
import { RemarkField } from '../../ui/admin/remark-field';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.user.fullName ?? 'User'} · Client Updater` }];

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { route: 'admin-user', permission: 'users:read', limit: 'read' });
  const ctx = args.context.app;
  const id = idParam(args.params.id);
  if (id === null) notFound();
  const manageScope = staff.access.scope('users:manage');
  const foundRead = userWithManageRight(ctx, staff.scope, manageScope, id);
  // At the edge each read is a round trip: the page's reads start beside the scope check and are dropped
  // unread on a 404 (decision 103). On the local file a read costs no trip: they wait for it, as before.
  const onFile = ctx.db.$client.protocol === 'file';
  const known = onFile ? await foundRead : null;
  if (onFile && !known) notFound();
  const mayManage = known ? known.canManage : manageScope !== null; // at the edge settled once the user is read
  const companyIds = (await requestCompanies(args)).map((c) => c.id);
  const [found, access, sessions, activity, editorOptions, userCompanies, pending, switches] = await Promise.all([
    foundRead,
    userAccessDetail(ctx, staff.scope, id),
    sessionsOf(ctx, id),
    recentActivityOf(ctx, staff.access.scope('activity:read'), id, companyIds), // null without activity:read: no panel
    mayManage && manageScope ? accessEditorOptions(ctx, manageScope, staff.access) : null,
    // Maker-checker (decision 101): where territory changes and reactivation wait for a second admin.
    mayManage ? companiesOfUser(ctx, id) : [],
    pendingRequestsAbout(ctx, staff.access, staff.user.id, 'user', id),
    mayManage ? checkerSettingsOf(ctx, companyIds) : null,
  ]);
  if (!found) notFound();
  const { user, canManage, accessVersion: version } = found;
  const options = canManage ? editorOptions : null;
  const grantCompanies = options?.grantCompanies.map((c) => c.id) ?? [];
  const checkedIn = (ids: number[], action: Parameters<typeof checkedAmong>[2]) => (canManage && switches ? checkedAmong(switches, ids, action) : []);
  const checked = checkedIn(grantCompanies, 'user.grants');
  const territoryCompanies = checkedIn([...new Set([...userCompanies, ...grantCompanies])], 'user.territory');
  const activationCompanies = user.isActive ? [] : checkedIn(userCompanies, 'user.activate');
  const territoryChecked = territoryCompanies.length > 0;
  const activationChecked = activationCompanies.length > 0;
  return json({
    user,
    access,
    sessions,
    activity,
    options,
    checked,
    territoryChecked,
    activationChecked,
    pending,
    version,
    canManage,
    isSelf: user.id === staff.user.id,
  });
}

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, { route: 'admin-user', permission: 'users:manage', limit: 'write' });
  const ctx = args.context.app;
  const id = idParam(args.params.id);
  // Changing a user needs the whole user inside this admin's reach, not just an overlap.
  if (id === null || !(await userInScope(ctx, staff.scope, id, 'manage'))) notFound();
  return handleUserAdminAction(ctx, { userId: staff.user.id, scope: staff.scope }, id, await readRequestForm(args.request));
}

export default function AdminUser() {
  const { user, access, sessions, activity, options, checked, territoryChecked, activationChecked, pending, version, canManage, isSelf } =
    useLoaderData<typeof loader>();
  // A refusal is one FormReply; its intent says which form shows it (a success redirects with the flash).
  const reply = replyFor(useActionData<typeof action>());
  const errorFor = (...intents: Array<string | null>) => (reply && intents.includes(reply.intent) ? reply.formError : null);
  const profile = reply?.intent === 'profile' ? reply : null;
  const fieldErrors: Record<string, string | undefined> = profile?.fieldErrors ?? {};
  const accountError = errorFor(null, 'deactivate', 'reactivate', 'unlock', 'reset-password', 'end-session', 'end-all-sessions');
  return (
    <>
      <p>
        <Link to="/admin/users">← Users</Link>
      </p>
      <h1 data-testid="user-name">{user.fullName}</h1>
      {accountError ? (
        <p className="banner error" role="alert">
          {accountError}
        </p>
      ) : null}
      <section className="card">
        <dl className="facts">
          <dt>Email</dt>
          <dd>{user.email}</dd>
          <dt>State</dt>
          <dd data-testid="user-state">
            {!user.isActive ? 'Inactive' : user.locked ? `Locked until ${formatDateTime(user.lockedUntil)}` : 'Active'}
            {user.mustChangePassword ? ' · must change password' : ''}
          </dd>
          <dt>Last sign-in</dt>
          <dd>
            {formatDateTime(user.lastLoginAt)} ({user.loginCount} sign-ins)
          </dd>
          <dt>Failed attempts</dt>
          <dd>{user.failedLoginCount}</dd>
          <dt>Branches</dt>
          <dd>{access.branches.map((b) => b.code).join(', ') || '—'}</dd>
          <dt>Areas</dt>
          <dd>{access.areas.map((a) => a.code).join(', ') || '—'}</dd>
        </dl>
        {canManage && !isSelf ? (
          <div className="actions">
            {(user.isActive ? ['deactivate', 'reset-password'] : ['reactivate']).concat(user.locked ? ['unlock'] : []).map((intent) => (
              <Form method="post" key={intent}>
                <input type="hidden" name="intent" value={intent} />
                {intent === 'deactivate' || intent === 'reactivate' ? <input type="hidden" name="version" value={version} /> : null}
                {intent === 'reactivate' && activationChecked ? (
                  <RemarkField id="remark-reactivate" note="Reactivation waits for another admin’s approval." />
                ) : null}
                <button type="submit" className={intent === 'deactivate' ? 'secondary' : undefined}>
                  {intent === 'reactivate' && activationChecked
                    ? 'Ask to reactivate'
                    : { deactivate: 'Deactivate', reactivate: 'Reactivate', unlock: 'Unlock', 'reset-password': 'Reset password' }[intent]}
                </button>
              </Form>
            ))}
          </div>
        ) : null}
      </section>
      <PendingRequests requests={pending} />
      {canManage && options ? (
        <>
          <Form method="post" className="card form">
            <h2>Profile</h2>
            {errorFor('profile') ? <p className="banner error">{errorFor('profile')}</p> : null}
            <input type="hidden" name="intent" value="profile" />
            <Field {...fieldProps(userFields.email)} type="email" defaultValue={valueOf(profile, 'email') ?? user.email} error={fieldErrors.email} />
            <Field {...fieldProps(userFields.fullName)} defaultValue={valueOf(profile, 'fullName') ?? user.fullName} error={fieldErrors.fullName} />
            <button type="submit">Save profile</button>
          </Form>
          <GrantsEditor
            companies={options.grantCompanies}
            permissions={options.permissions}
            templates={options.templates}
            grants={access.grants}
            roles={access.roles}
            checked={checked}
            version={version}
            error={errorFor('grants', 'apply-role')}
          />
          <TerritoryEditor
            branches={options.branches}
            areas={options.areas}
            error={errorFor('territory')}
            checked={territoryChecked}
            version={version}
            assignedBranchIds={access.branches.map((b) => b.id)}
            assignedAreaIds={access.areas.map((a) => a.id)}
          />
        </>
      ) : null}
      <SessionsTable sessions={sessions} canManage={canManage} />
      {activity ? (
        <section className="card">
          <h2>Recent activity</h2>
          <ActivityTable entries={activity} />
        </section>
      ) : null}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../../ui/general-error-boundary';
