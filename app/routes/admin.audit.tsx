import { json, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Form, useLoaderData, useLocation, type MetaFunction } from '@remix-run/react';
import { auditEntries, auditedTables, parseAuditQuery, type AuditQuery } from '../core/audit/audit-query.server';
import { configReachOf } from '../core/config/config-reach.server';
import { CONFIG_TABLES } from '../core/config/config-tables.server';
import { AuditEntries } from '../ui/admin/config/audit-entries';
import { Pager } from '../ui/pager';
import { requestCompanies, requireStaff } from '../web/require-staff.server';
import { inputHints } from '../core/config/form-fields';
import { auditFilterFields } from '../core/audit/audit-filter-fields';

export const meta: MetaFunction = () => [{ title: 'Audit log · Client Updater' }];

// config:read: the log shows configuration values (decision 072); rows of another company's
// records stay out of reach like the records themselves.
export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { route: 'admin-audit', permission: 'config:read', limit: 'read' });
  const ctx = args.context.app;
  const url = new URL(args.request.url);
  const params = Object.fromEntries(url.searchParams);
  // Links to the config screens: table name → slug, sent with the data (CONFIG_TABLES is server-only, decision 081).
  const configSlugs = Object.fromEntries(CONFIG_TABLES.map((t) => [t.sqlName, t.slug]));
  const parsed = parseAuditQuery(url.searchParams);
  // The table list and the page read together, the reach over the request's company list (read with the
  // session at the edge): each read there is a round trip (decision 103).
  const entries = async (query: AuditQuery) =>
    auditEntries(ctx, configReachOf(await requestCompanies(args), staff.scope, staff.access.scope('config:manage')), query);
  const [tables, list] = await Promise.all([auditedTables(ctx), parsed.ok ? entries(parsed.query) : null]);
  if (!parsed.ok) return json({ error: parsed.message, params, tables, configSlugs, list: null }, { status: 400 });
  return json({ error: null, params, tables, configSlugs, list });
}

export default function AuditScreen() {
  const { error, params, tables, configSlugs, list } = useLoaderData<typeof loader>();
  const location = useLocation();
  const csv = new URLSearchParams(location.search);
  csv.delete('page');
  return (
    <>
      <h1>Audit log</h1>
      <p className="muted">
        Every create, edit, delete and restore of configuration, areas, branches and users’ permissions: only the changed fields, old → new; a change applied
        through an approval names who asked and who approved.
      </p>
      <Form method="get" className="card filters" role="search">
        <div>
          <label htmlFor="au-table">Table</label>
          <select id="au-table" name="table" defaultValue={params.table ?? ''}>
            <option value="">All</option>
            {tables.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="au-record">Record id</label>
          <input id="au-record" type="text" name="record" inputMode="numeric" defaultValue={params.record ?? ''} />
        </div>
        <div>
          <label htmlFor="au-user">User (email or id)</label>
          <input id="au-user" type="search" defaultValue={params.user ?? ''} {...inputHints(auditFilterFields.user)} name="user" />
        </div>
        <div>
          <label htmlFor="au-action">Action</label>
          <select id="au-action" name="action" defaultValue={params.action ?? ''}>
            <option value="">All</option>
            {['create', 'update', 'delete', 'restore'].map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="au-from">From</label>
          <input id="au-from" type="date" name="from" defaultValue={params.from ?? ''} />
        </div>
        <div>
          <label htmlFor="au-to">To</label>
          <input id="au-to" type="date" name="to" defaultValue={params.to ?? ''} />
        </div>
        <div>
          <button type="submit">Filter</button>
        </div>
        <div>
          <a href={`/admin/audit.csv${csv.size ? `?${csv}` : ''}`} download data-testid="audit-csv">
            Download CSV
          </a>
        </div>
      </Form>
      {error ? (
        <p className="banner error" role="alert" data-testid="filter-error">
          {error}
        </p>
      ) : null}
      {list ? (
        <>
          <AuditEntries rows={list.rows} configSlugs={configSlugs} />
          <Pager page={list.page} pages={list.pages} total={list.total} noun="changes" />
        </>
      ) : null}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../ui/general-error-boundary';
