import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Link, useActionData, useLoaderData, type MetaFunction } from '@remix-run/react';
import { areaList, managedCompanies } from '../core/org/area-queries.server';
import { createArea } from '../core/org/area-writes.server';
import { areaFields } from '../core/org/org-fields.server';
import { areaCreateSchema } from '../core/org/org-forms.server';
import { AdminForm, replyFor } from '../ui/forms/admin-form';
import { AreaListTable } from '../ui/org/area-list-table';
import { ScheduleNote } from '../ui/org/progress-cells';
import { redirectWithFlash } from '../web/flash.server';
import { failWith, formFailure, readFormWith, savedMessage, readRequestForm } from '../web/form-protocol.server';
import { requireStaff } from '../web/require-staff.server';

export const meta: MetaFunction = () => [{ title: 'Areas · Client Updater' }];

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { route: 'areas', permission: 'areas:read', limit: 'read' });
  const ctx = args.context.app;
  const state = new URL(args.request.url).searchParams.get('state') ?? '';
  const manageScope = staff.access.scope('areas:manage');
  if (state !== '' && state !== 'deleted') {
    return json({ error: `There is no state "${state.slice(0, 20)}" to show.`, list: null, fields: null, deleted: false }, { status: 400 });
  }
  // The create form's companies are read beside the list (one round trip at the edge, decision 103).
  const [companies, list] = await Promise.all([
    managedCompanies(ctx, manageScope),
    areaList(ctx, staff.scope, manageScope, state === 'deleted' ? 'deleted' : 'live'),
  ]);
  return json({ error: null, list, fields: companies.length ? areaFields(companies) : null, deleted: state === 'deleted' });
}

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, { route: 'areas', permission: 'areas:manage', limit: 'write' });
  const ctx = args.context.app;
  const form = await readRequestForm(args.request);
  const fields = areaFields(await managedCompanies(ctx, staff.scope));
  if (form.get('intent') !== 'create') return failWith({}, { message: 'That form was not understood. Reload the page and try again.' });
  const read = readFormWith(form, areaCreateSchema, fields);
  if (!read.ok) return formFailure(read.reply);
  const result = await createArea(ctx, { userId: staff.user.id, scope: staff.scope }, read.data);
  if (!result.ok) {
    return failWith(read.values, result.code === 'INVALID' ? result : { field: 'companyId', message: 'Choose a company whose areas you manage.' }, {
      intent: 'create',
    });
  }
  return redirectWithFlash(ctx, `/areas/${result.id}`, savedMessage('Area', 'created'));
}

export default function AreasScreen() {
  const { error, list, fields, deleted } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  return (
    <>
      <h1>Areas</h1>
      {fields ? (
        <p className="actions">{deleted ? <Link to="/areas">Show current areas</Link> : <Link to="/areas?state=deleted">Show deleted areas</Link>}</p>
      ) : null}
      {error ? (
        <p className="banner error" role="alert" data-testid="filter-error">
          {error}
        </p>
      ) : null}
      {list ? (
        <>
          {list.companies.length === 0 ? (
            <p className="muted" data-testid="list-empty">
              No areas to show.
            </p>
          ) : null}
          {list.companies.map((c) => (
            <AreaListTable key={c.code} company={c.code} areas={c.areas} deleted={deleted} />
          ))}
          {deleted ? null : <ScheduleNote periods={list.periods} gracePoints={list.gracePoints} />}
        </>
      ) : null}
      {fields && !deleted ? (
        <details className="card" open={Boolean(replyFor(reply, 'create'))}>
          <summary>New area</summary>
          <AdminForm
            fields={fields}
            reply={reply}
            intent="create"
            submitLabel="Create area"
            pendingLabel="Creating…"
            mode="create"
            defaults={{ isActive: true }}
            testId="area-create"
            idPrefix="area-new"
          />
        </details>
      ) : null}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../ui/general-error-boundary';
