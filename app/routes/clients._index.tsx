import { json, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import type { MetaFunction } from '@remix-run/react';
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react';
import { clientFilterOptions, unknownFilter } from '../core/clients/filter-options.server';
import { clientsInScope } from '../core/clients/list-clients.server';
import { clientSorts } from '../core/clients/client-sorts';
import { parseClientListQuery } from '../core/clients/list-query.server';
import { FilterSelect } from '../ui/filter-select';
import { formatPeso } from '../ui/format';
import { Pager } from '../ui/pager';
import { StatusBadge } from '../ui/status-badge';
import { requireStaff } from '../web/require-staff.server';
import { inputHints } from '../core/config/form-fields';
import { searchField } from '../core/forms/search-fields';
import { exportRequestHref } from '../core/exports/export-kinds';

export const meta: MetaFunction = () => [{ title: 'Clients · Client Updater' }];

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { route: 'clients', permission: 'clients:read', limit: 'read' });
  const ctx = args.context.app;
  const url = new URL(args.request.url);
  const canExport = staff.access.can('reports:export');
  const parsed = parseClientListQuery(url.searchParams);
  // The page is read beside the filter options (one round trip at the edge, decision 103) and dropped
  // when a filter names an option the user does not have.
  const [options, list] = await Promise.all([
    clientFilterOptions(ctx, staff.scope),
    parsed.ok ? clientsInScope(ctx, staff.scope, parsed.query) : Promise.resolve(null),
  ]);
  const problem = parsed.ok ? unknownFilter(parsed.query, options) : parsed.message;
  if (!parsed.ok || problem || !list) {
    return json({ error: problem, options, params: Object.fromEntries(url.searchParams), list: null, canExport }, { status: 400 });
  }
  return json({ error: null, options, params: Object.fromEntries(url.searchParams), list, canExport });
}

export default function ClientsScreen() {
  const { error, options, params, list, canExport } = useLoaderData<typeof loader>();
  const loading = useNavigation().state === 'loading';
  return (
    <>
      <h1>Clients</h1>
      {canExport ? (
        <p>
          <Link to={exportRequestHref('clients', params)} data-testid="export-link">
            Export these clients…
          </Link>
        </p>
      ) : null}
      <Form method="get" className="card filters" role="search">
        <div className="span-all">
          <label htmlFor="f-q">Search by name, code, pension or phone number</label>
          <input id="f-q" type="search" name="q" defaultValue={params.q ?? ''} {...inputHints(searchField)} />
        </div>
        <FilterSelect idPrefix="f" name="company" label="Company" options={options.companies} value={params.company} />
        <FilterSelect idPrefix="f" name="branch" label="Branch" options={options.branches} value={params.branch} />
        <FilterSelect idPrefix="f" name="product" label="Product" options={options.products} value={params.product} />
        <FilterSelect idPrefix="f" name="par" label="PAR status" options={options.parStatuses} value={params.par} />
        <FilterSelect idPrefix="f" name="status" label="Status this period" options={options.statuses} value={params.status} />
        <div>
          <label htmlFor="f-sort">Sort</label>
          <select id="f-sort" name="sort" defaultValue={params.sort ?? 'name'}>
            {clientSorts.map((s) => (
              <option key={s} value={s}>
                {s === 'pastDue' ? 'Past due' : s[0].toUpperCase() + s.slice(1)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-dir">Order</label>
          <select id="f-dir" name="dir" defaultValue={params.dir ?? 'asc'}>
            <option value="asc">Ascending</option>
            <option value="desc">Descending</option>
          </select>
        </div>
        <div>
          <button type="submit">{loading ? 'Searching…' : 'Search'}</button>
        </div>
      </Form>
      {error ? (
        <p className="banner error" role="alert" data-testid="filter-error">
          {error}
        </p>
      ) : null}
      {list ? (
        <>
          <Pager page={list.page} pages={list.pages} total={list.total} capped={list.capped} />
          <table className="responsive">
            <thead>
              <tr>
                <th>Code</th>
                <th>Name</th>
                <th>Pension no.</th>
                <th>Branch</th>
                <th>Product</th>
                <th>PAR</th>
                <th>Past due</th>
                <th>This period</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((c) => (
                <tr key={c.id} data-testid="client-row">
                  <td data-label="Code">
                    <Link to={`/clients/${c.id}`}>{c.clientCode}</Link>
                  </td>
                  <td data-label="Name">{c.fullName}</td>
                  <td data-label="Pension no.">{c.pensionNumber ?? '—'}</td>
                  <td data-label="Branch" data-testid="client-branch">
                    {c.branchCode}
                  </td>
                  <td data-label="Product">{c.productCode}</td>
                  <td data-label="PAR">{c.parName}</td>
                  <td data-label="Past due">{formatPeso(c.pastDueCentavos)}</td>
                  <td data-label="This period">
                    <StatusBadge code={c.statusCode} name={c.statusName} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.rows.length === 0 ? <p className="muted">No clients match.</p> : null}
          <Pager page={list.page} pages={list.pages} total={list.total} capped={list.capped} />
        </>
      ) : null}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../ui/general-error-boundary';
