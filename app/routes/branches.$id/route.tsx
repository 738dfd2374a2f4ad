import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Form, Link, useActionData, useLoaderData, type MetaFunction } from '@remix-run/react';
import { scopeIncludesBranch } from '../../core/access/scope.server';
import { branchDetail, branchProgress } from '../../core/org/branch-queries.server';
import { manageableAmong, userCandidates } from '../../core/org/branch-users.server';
import { assignUserFields, branchFields, contactFields } from '../../core/org/org-fields.server';
import { AdminForm, SubmitButton, replyFor } from '../../ui/forms/admin-form';
import { formatDateTime } from '../../ui/format';
import { BranchContacts } from '../../ui/org/branch-contacts';
import { AgentProgressTable, BranchUsers, ClientCountTable } from '../../ui/org/branch-figures';
import { ProgressCells, ProgressHeadings, ScheduleNote } from '../../ui/org/progress-cells';
import { notFound } from '../../web/http-errors.server';
import { requireStaff } from '../../web/require-staff.server';
import { idParam } from '../../web/route-id.server';
import { handleAction } from './actions.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.branch.code ?? 'Branch'} · Branches · Client Updater` }];

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { route: 'branch', permission: 'branches:read', limit: 'read' });
  const ctx = args.context.app;
  const id = idParam(args.params.id);
  const [manageScope, usersScope] = [staff.access.scope('branches:manage'), staff.access.scope('users:manage')];
  const detail = id === null ? null : await branchDetail(ctx, staff.scope, manageScope, id);
  if (!detail) notFound();
  const { branch, basis, ...facts } = detail;
  const canEdit = Boolean(manageScope && !branch.deletedAt && scopeIncludesBranch(manageScope, branch.companyId, branch.id));
  const canAssignUsers = Boolean(canEdit && usersScope);
  // The progress and the user pickers need only the branch's row and users: read together (one step at the edge, decision 103).
  const [progress, candidates, canUnassign] = await Promise.all([
    branchProgress(ctx, staff.scope, basis, branch.id),
    canAssignUsers && usersScope ? userCandidates(ctx, usersScope, branch) : [],
    canAssignUsers && usersScope
      ? manageableAmong(
          ctx,
          usersScope,
          facts.users.map((u) => u.id),
        )
      : ([] as number[]),
  ]);
  const company = [{ id: branch.companyId, code: branch.companyCode, name: branch.companyCode }];
  return json({
    branch,
    ...facts,
    ...progress,
    canEdit,
    canUnassign,
    editFields: canEdit ? branchFields(company) : null,
    contactFields: canEdit ? contactFields() : null,
    userFields: canAssignUsers ? assignUserFields(candidates) : null,
  });
}

export async function action(args: ActionFunctionArgs) {
  return handleAction(args);
}

export default function BranchScreen() {
  const data = useLoaderData<typeof loader>();
  const { branch, areas, progress, periods, gracePoints, canManageCompany } = data;
  const reply = useActionData<typeof action>();
  const wholeError = replyFor(reply, 'delete') ?? replyFor(reply, 'restore') ?? replyFor(reply, 'unassign-user');
  return (
    <>
      <p>
        <Link to="/branches">← Branches</Link>
      </p>
      <h1 data-testid="branch-title">
        <code>{branch.code}</code> {branch.name}
      </h1>
      {wholeError?.formError ? (
        <p className="banner error" role="alert" data-testid="form-error">
          {wholeError.formError}
        </p>
      ) : null}
      <section className="card">
        <dl className="facts">
          <dt>Company</dt>
          <dd>{branch.companyCode}</dd>
          <dt>Location</dt>
          <dd>{branch.location ?? '—'}</dd>
          <dt>Category</dt>
          <dd>{branch.category ?? '—'}</dd>
          <dt>State</dt>
          <dd data-testid="branch-state">{branch.deletedAt ? `Deleted ${formatDateTime(branch.deletedAt)}` : branch.isActive ? 'Active' : 'Inactive'}</dd>
          <dt>Areas</dt>
          <dd data-testid="branch-areas">{areas.length ? areas.map((a) => `${a.code}${a.isPrimary ? ' (primary)' : ''}`).join(', ') : '—'}</dd>
        </dl>
        {canManageCompany ? (
          <Form method="post" className="actions">
            <input type="hidden" name="intent" value={branch.deletedAt ? 'restore' : 'delete'} />
            <SubmitButton
              intent={branch.deletedAt ? 'restore' : 'delete'}
              className="secondary"
              label={branch.deletedAt ? 'Restore branch' : 'Delete branch'}
              pendingLabel={branch.deletedAt ? 'Restoring…' : 'Deleting…'}
            />
          </Form>
        ) : null}
      </section>
      {branch.deletedAt ? null : (
        <>
          <section className="card">
            <h2>This period</h2>
            <table className="responsive">
              <thead>
                <tr>
                  <ProgressHeadings />
                </tr>
              </thead>
              <tbody>
                <tr>
                  <ProgressCells progress={progress} />
                </tr>
              </tbody>
            </table>
            <h3>Per agent</h3>
            <AgentProgressTable agents={data.agents} />
            <ScheduleNote periods={periods} gracePoints={gracePoints} />
          </section>
          <section className="card">
            <h2>Active clients by product and PAR status</h2>
            <ClientCountTable counts={data.clientCounts} />
          </section>
          <BranchContacts branchId={branch.id} contacts={data.contacts} fields={data.contactFields} reply={reply} />
          <BranchUsers branchId={branch.id} users={data.users} fields={data.userFields} reply={reply} canUnassign={data.canUnassign} />
        </>
      )}
      {data.editFields ? (
        <section>
          <h2>Edit branch</h2>
          <AdminForm
            fields={data.editFields}
            reply={reply}
            intent="edit"
            submitLabel="Save branch"
            mode="edit"
            testId="branch-edit"
            idPrefix="branch"
            defaults={{
              companyId: branch.companyId,
              code: branch.code,
              name: branch.name,
              location: branch.location,
              category: branch.category,
              isActive: branch.isActive,
            }}
          />
        </section>
      ) : null}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../../ui/general-error-boundary';
