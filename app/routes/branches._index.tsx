import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { useActionData, useLoaderData, type MetaFunction } from '@remix-run/react';
import { parseAdminListQuery } from '../core/config/admin-list-query';
import { managedCompanies } from '../core/org/area-queries.server';
import { askedAreaIds, branchListSpec, branchQueryOf } from '../core/org/branch-list-query.server';
import { branchFilterAreas, branchList } from '../core/org/branch-queries.server';
import { createBranch } from '../core/org/branch-writes.server';
import { branchFields } from '../core/org/org-fields.server';
import { branchCreateSchema } from '../core/org/org-forms.server';
import { AdminForm, replyFor } from '../ui/forms/admin-form';
import { AdminList, type ListColumn } from '../ui/forms/admin-list';
import { redirectWithFlash } from '../web/flash.server';
import { failWith, formFailure, readFormWith, savedMessage, readRequestForm } from '../web/form-protocol.server';
import { requireStaff } from '../web/require-staff.server';

export const meta: MetaFunction = () => [{ title: 'Branches · Client Updater' }];

const columns: ListColumn[] = [
  { key: 'code', label: 'Code', kind: 'code', link: true },
  { key: 'name', label: 'Name' },
  { key: 'companyCode', label: 'Company' },
  { key: 'primaryArea', label: 'Primary area', kind: 'code' },
  { key: 'category', label: 'Category' },
  { key: 'clients', label: 'Clients this period', kind: 'number' },
  { key: 'done', label: 'Done %', kind: 'number' },
  { key: 'schedule', label: 'Schedule' },
  { key: 'isActive', label: 'Active', kind: 'boolean' },
];

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { route: 'branches', permission: 'branches:read', limit: 'read' });
  const ctx = args.context.app;
  const manageScope = staff.access.scope('branches:manage');
  const params = new URL(args.request.url).searchParams;
  // The page is read beside the filter areas and the create form's companies (one round trip at the
  // edge, decision 103), taking the asked area on trust; it is dropped (400) when that area is not one
  // the reader sees. The list is scoped either way.
  const early = parseAdminListQuery(params, branchListSpec(askedAreaIds(params)));
  const [areas, companies, pageRead] = await Promise.all([
    branchFilterAreas(ctx, staff.scope),
    managedCompanies(ctx, manageScope),
    early.ok ? branchList(ctx, staff.scope, manageScope, branchQueryOf(early.query)) : Promise.resolve(null),
  ]);
  const filters = [
    { name: 'area', label: 'Area', options: areas.map((a) => ({ value: String(a.id), label: `${a.code} · ${a.name}` })) },
    {
      name: 'category',
      label: 'Category',
      options: [
        { value: 'main', label: 'Main' },
        { value: 'satellite', label: 'Satellite' },
      ],
    },
    {
      name: 'active',
      label: 'Active',
      options: [
        { value: 'yes', label: 'Yes' },
        { value: 'no', label: 'No' },
      ],
    },
    ...(companies.length ? [{ name: 'deleted', label: 'Deleted', options: [{ value: 'yes', label: 'Deleted only' }] }] : []),
  ];
  const parsed = parseAdminListQuery(params, branchListSpec(areas.map((a) => a.id)));
  const fields = companies.length ? branchFields(companies) : null;
  if (!parsed.ok) return json({ error: parsed.message, query: parsed.query, filters, fields, list: null }, { status: 400 });
  const list = pageRead ?? (await branchList(ctx, staff.scope, manageScope, branchQueryOf(parsed.query)));
  return json({ error: null, query: parsed.query, filters, fields, list });
}

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, { route: 'branches', permission: 'branches:manage', limit: 'write' });
  const ctx = args.context.app;
  const form = await readRequestForm(args.request);
  if (form.get('intent') !== 'create') return failWith({}, { message: 'That form was not understood. Reload the page and try again.' });
  const read = readFormWith(form, branchCreateSchema, branchFields(await managedCompanies(ctx, staff.scope)));
  if (!read.ok) return formFailure(read.reply);
  const result = await createBranch(ctx, { userId: staff.user.id, scope: staff.scope }, read.data);
  if (!result.ok) {
    return failWith(read.values, result.code === 'INVALID' ? result : { field: 'companyId', message: 'Choose a company whose branches you manage.' }, {
      intent: 'create',
    });
  }
  return redirectWithFlash(ctx, `/branches/${result.id}`, savedMessage('Branch', 'created'));
}

export default function BranchesScreen() {
  const { error, query, filters, fields, list } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const rows = (list?.rows ?? []).map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    companyCode: r.companyCode,
    primaryArea: r.primaryArea,
    category: r.category,
    isActive: r.isActive,
    clients: r.progress.total,
    done: r.progress.total ? `${r.progress.donePct.toFixed(1)}%` : null,
    schedule: !r.progress.total ? null : r.progress.behind ? 'Behind' : 'On track',
  }));
  return (
    <>
      <h1>Branches</h1>
      <AdminList
        columns={columns}
        rows={rows}
        total={list?.total ?? 0}
        page={list?.page ?? 1}
        pages={list?.pages ?? 1}
        query={query}
        filters={filters}
        sorts={[
          { value: 'code', label: 'Code' },
          { value: 'name', label: 'Name' },
        ]}
        searchLabel="Search code, name or location"
        rowHref={(row) => `/branches/${row.id}`}
        noun="branches"
        error={error}
        testId="branch-list"
      />
      {fields ? (
        <details className="card" open={Boolean(replyFor(reply, 'create'))}>
          <summary>New branch</summary>
          <AdminForm
            fields={fields}
            reply={reply}
            intent="create"
            submitLabel="Create branch"
            pendingLabel="Creating…"
            mode="create"
            defaults={{ isActive: true, category: 'main' }}
            testId="branch-create"
            idPrefix="branch-new"
          />
        </details>
      ) : null}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../ui/general-error-boundary';
