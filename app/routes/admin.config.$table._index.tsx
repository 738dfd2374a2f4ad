import { json, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Link, useLoaderData, useLocation, type MetaFunction } from '@remix-run/react';
import { parseAdminListQuery } from '../core/config/admin-list-query';
import { canCreateIn } from '../core/config/config-reach.server';
import { listConfigRows, listFilters, listSpecOf } from '../core/config/config-rows.server';
import { ConfigRowActions } from '../ui/admin/config/config-row-actions';
import { AdminList } from '../ui/forms/admin-list';
import { configGate } from '../web/config-gate.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.table.label ?? 'Configuration'} · Client Updater` }];

export async function loader(args: LoaderFunctionArgs) {
  const { def, reach } = await configGate(args, 'read');
  const ctx = args.context.app;
  const filters = await listFilters(ctx, def, reach);
  const parsed = parseAdminListQuery(new URL(args.request.url).searchParams, listSpecOf(def, filters));
  const table = {
    slug: def.slug,
    label: def.label,
    noun: def.noun,
    description: def.description,
    columns: def.columns,
    sorts: def.sorts,
    ordered: def.ordered,
    softDelete: def.softDelete,
    system: def.system,
    canCreate: canCreateIn(reach, def.company),
  };
  if (!parsed.ok) {
    return json({ table, filters, query: parsed.query, error: parsed.message, list: { rows: [], total: 0, page: 1, pages: 1 } }, { status: 400 });
  }
  return json({ table, filters, query: parsed.query, error: null, list: await listConfigRows(ctx, def, reach, parsed.query) });
}

export default function ConfigTableList() {
  const { table, filters, query, error, list } = useLoaderData<typeof loader>();
  const location = useLocation();
  const returnTo = `${location.pathname}${location.search}`;
  return (
    <>
      <p>
        <Link to="/admin/config">← Configuration</Link>
      </p>
      <h1>{table.label}</h1>
      <p className="muted">
        {table.description}
        {table.softDelete ? ' Deactivated rows leave the dropdowns; old records keep showing them.' : ''}
      </p>
      {table.canCreate ? (
        <p>
          <Link className="button" to={`/admin/config/${table.slug}/new`} data-testid="config-new">
            New {table.noun.toLowerCase()}
          </Link>
        </p>
      ) : null}
      <AdminList
        columns={table.columns}
        rows={list.rows as never}
        total={list.total}
        page={list.page}
        pages={list.pages}
        query={query}
        filters={filters}
        sorts={table.sorts}
        error={error}
        noun="rows"
        testId="config-list"
        rowHref={(row) => `/admin/config/${table.slug}/${row.id}`}
        rowActions={(row) => (
          <ConfigRowActions
            slug={table.slug}
            row={row}
            ordered={table.ordered}
            softDelete={table.softDelete}
            system={table.system}
            returnTo={returnTo}
            noun={table.noun}
          />
        )}
      />
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../ui/general-error-boundary';
