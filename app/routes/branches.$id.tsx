import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Form, Link, useActionData, useLoaderData, type MetaFunction } from '@remix-run/react';
import { scopeIncludesBranch } from '../core/access/scope.server';
import type { SavedCode } from '../core/config/form-fields';
import { addContact, removeContact, setPrimaryContact, updateContact } from '../core/org/branch-contacts.server';
import { branchDetail } from '../core/org/branch-queries.server';
import { assignUser, manageableAmong, unassignUser, userCandidates } from '../core/org/branch-users.server';
import { deleteBranch, editableBranch, restoreBranch, updateBranch, wideBranch } from '../core/org/branch-writes.server';
import { assignUserFields, branchFields, contactFields } from '../core/org/org-fields.server';
import { assignUserSchema, branchEditSchema, contactSchema, branchRowIdSchema as rowIdSchema } from '../core/org/org-forms.server';
import type { OrgResult } from '../core/org/org-result.server';
import { AdminForm, SubmitButton, replyFor } from '../ui/forms/admin-form';
import { formatDateTime } from '../ui/format';
import { BranchContacts } from '../ui/org/branch-contacts';
import { AgentProgressTable, BranchUsers, ClientCountTable } from '../ui/org/branch-figures';
import { ProgressCells, ProgressHeadings, ScheduleNote } from '../ui/org/progress-cells';
import { redirectWithFlash } from '../web/flash.server';
import { failWith, formFailure, readFormWith, savedMessage } from '../web/form-protocol.server';
import { forbidden, notFound } from '../web/http-errors.server';
import { requireStaff } from '../web/require-staff.server';
import { idParam } from '../web/route-id';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.branch.code ?? 'Branch'} · Branches · Client Updater` }];

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { route: 'branch', permission: 'branches:read', limit: 'read' });
  const ctx = args.context.app;
  const id = idParam(args.params.id);
  const [manageScope, usersScope] = [staff.access.scopeOf('branches:manage'), staff.access.scopeOf('users:manage')];
  const detail = id === null ? null : await branchDetail(ctx, staff.scope, manageScope, id);
  if (!detail) notFound();
  const { branch } = detail;
  const canEdit = Boolean(manageScope && !branch.deletedAt && scopeIncludesBranch(manageScope, branch.companyId, branch.id));
  const canAssignUsers = Boolean(canEdit && usersScope);
  const [candidates, canUnassign] =
    canAssignUsers && usersScope
      ? await Promise.all([
          userCandidates(ctx, usersScope, branch),
          manageableAmong(
            ctx,
            usersScope,
            detail.users.map((u) => u.id),
          ),
        ])
      : [[], []];
  const company = [{ id: branch.companyId, code: branch.companyCode, name: branch.companyCode }];
  return json({
    ...detail,
    canEdit,
    canUnassign,
    editFields: canEdit ? branchFields(company) : null,
    contactFields: canEdit ? contactFields() : null,
    userFields: canAssignUsers ? assignUserFields(candidates) : null,
  });
}

const rowIdField = { name: 'rowId', label: 'Row', kind: 'text' as const };
const unknownForm = () => failWith({}, { message: 'That form was not understood. Reload the page and try again.' });

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, { route: 'branch', permission: 'branches:manage', limit: 'write' });
  const ctx = args.context.app;
  const id = idParam(args.params.id);
  const who = { userId: staff.user.id, scope: staff.scope };
  // Outside the manager's reach, or unknown: the same 404, before the form is read.
  if (id === null || !((await editableBranch(ctx.db, who, id)) ?? (await wideBranch(ctx.db, who, id, null)))) notFound();
  const form = await args.request.formData();
  const intent = String(form.get('intent') ?? '');
  const answer = (values: Record<string, string | string[]>, result: OrgResult<object>, saved: SavedCode) => {
    if (result.ok) return redirectWithFlash(ctx, `/branches/${id}`, savedMessage('Branch', saved, { deleted: 'deleted', saved: 'saved' }));
    if (result.code === 'NOT_FOUND') notFound();
    return failWith(values, { field: result.field === 'form' ? null : result.field, message: result.message }, { intent });
  };
  const row = readFormWith(form, rowIdSchema, [rowIdField]);
  const needsRow = ['edit-contact', 'remove-contact', 'primary-contact', 'unassign-user'].includes(intent);
  if (needsRow && !row.ok) return formFailure(row.reply);
  const rowId = row.ok ? row.data.rowId : 0;
  switch (intent) {
    case 'edit': {
      const read = readFormWith(form, branchEditSchema, branchFields([]));
      if (!read.ok) return formFailure(read.reply);
      return answer(read.values, await updateBranch(ctx, who, id, read.data), 'updated');
    }
    case 'delete':
      return answer({}, await deleteBranch(ctx, who, id), 'deleted');
    case 'restore':
      return answer({}, await restoreBranch(ctx, who, id), 'restored');
    case 'add-contact':
    case 'edit-contact': {
      const read = readFormWith(form, contactSchema, [...contactFields(), rowIdField]);
      if (!read.ok) return formFailure(read.reply);
      const result = intent === 'add-contact' ? await addContact(ctx, who, id, read.data) : await updateContact(ctx, who, id, rowId, read.data);
      return answer(read.values, result, 'saved');
    }
    case 'remove-contact':
      return answer(row.ok ? row.values : {}, await removeContact(ctx, who, id, rowId), 'saved');
    case 'primary-contact':
      return answer(row.ok ? row.values : {}, await setPrimaryContact(ctx, who, id, rowId), 'saved');
    case 'assign-user':
    case 'unassign-user': {
      const usersScope = staff.access.scopeOf('users:manage');
      if (!usersScope) forbidden('Assigning users needs the users:manage permission.');
      if (intent === 'unassign-user') return answer(row.ok ? row.values : {}, await unassignUser(ctx, who, usersScope, id, rowId), 'saved');
      const read = readFormWith(form, assignUserSchema, assignUserFields([]));
      if (!read.ok) return formFailure(read.reply);
      return answer(read.values, await assignUser(ctx, who, usersScope, id, read.data.userId), 'saved');
    }
    default:
      return unknownForm();
  }
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

export { GeneralErrorBoundary as ErrorBoundary } from '../ui/general-error-boundary';
