import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Form, Link, useActionData, useLoaderData, type MetaFunction } from '@remix-run/react';
import { areaDetail } from '../../core/org/area-queries.server';
import { areaFields, assignBranchFields } from '../../core/org/org-fields.server';
import { AdminForm, SubmitButton, replyFor } from '../../ui/forms/admin-form';
import { formatDateTime } from '../../ui/format';
import { AreaBranchesTable } from '../../ui/org/area-branches-table';
import { ScheduleNote } from '../../ui/org/progress-cells';
import { notFound } from '../../web/http-errors.server';
import { requireStaff } from '../../web/require-staff.server';
import { idParam } from '../../web/route-id.server';
import { handleAction } from './actions.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.area.code ?? 'Area'} · Areas · Client Updater` }];

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { route: 'area', permission: 'areas:read', limit: 'read' });
  const ctx = args.context.app;
  const id = idParam(args.params.id);
  const manageScope = staff.access.scope('areas:manage');
  const detail = id === null ? null : await areaDetail(ctx, staff.scope, manageScope, id);
  if (!detail) notFound();
  const live = detail.canManage && !detail.area.deletedAt;
  const company = [{ id: detail.area.companyId, code: detail.area.companyCode, name: detail.area.companyCode }];
  return json({ ...detail, editFields: live ? areaFields(company) : null, assignFields: live ? assignBranchFields(detail.assignable) : null });
}

export async function action(args: ActionFunctionArgs) {
  return handleAction(args);
}

export default function AreaScreen() {
  const { area, canManage, branches, users, periods, gracePoints, editFields, assignFields } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const rowError = replyFor(reply, 'unassign-branch') ?? replyFor(reply, 'delete') ?? replyFor(reply, 'restore');
  return (
    <>
      <p>
        <Link to="/areas">← Areas</Link>
      </p>
      <h1 data-testid="area-title">
        {area.companyCode} {area.code} · {area.name}
      </h1>
      {rowError?.formError ? (
        <p className="banner error" role="alert" data-testid="form-error">
          {rowError.formError}
        </p>
      ) : null}
      <section className="card">
        <dl className="facts">
          <dt>State</dt>
          <dd data-testid="area-state">{area.deletedAt ? `Deleted ${formatDateTime(area.deletedAt)}` : area.isActive ? 'Active' : 'Inactive'}</dd>
          <dt>Users</dt>
          <dd data-testid="area-users">{users.length ? users.map((u) => u.name + (u.isActive ? '' : ' (inactive)')).join(', ') : '—'}</dd>
        </dl>
        {canManage ? (
          <Form method="post" className="actions">
            <input type="hidden" name="intent" value={area.deletedAt ? 'restore' : 'delete'} />
            <SubmitButton
              intent={area.deletedAt ? 'restore' : 'delete'}
              className="secondary"
              label={area.deletedAt ? 'Restore area' : 'Delete area'}
              pendingLabel={area.deletedAt ? 'Restoring…' : 'Deleting…'}
            />
          </Form>
        ) : null}
      </section>
      {area.deletedAt ? null : (
        <section className="card">
          <h2>Branches</h2>
          <AreaBranchesTable areaId={area.id} rows={branches} canManage={canManage} />
          <ScheduleNote periods={periods} gracePoints={gracePoints} />
        </section>
      )}
      {assignFields ? (
        <section>
          <h2>Assign a branch</h2>
          <AdminForm
            fields={assignFields}
            reply={reply}
            intent="assign-branch"
            submitLabel="Assign branch"
            pendingLabel="Assigning…"
            testId="assign-branch"
            idPrefix="assign"
          >
            <p className="muted">Only live, active branches of {area.companyCode} not yet in this area are offered.</p>
          </AdminForm>
        </section>
      ) : null}
      {editFields ? (
        <section>
          <h2>Edit area</h2>
          <AdminForm
            fields={editFields}
            reply={reply}
            intent="edit"
            submitLabel="Save area"
            mode="edit"
            testId="area-edit"
            idPrefix="area"
            defaults={{ companyId: area.companyId, code: area.code, name: area.name, isActive: area.isActive }}
          />
        </section>
      ) : null}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../../ui/general-error-boundary';
