import { json, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Form, Link, useLoaderData, useLocation, type MetaFunction } from '@remix-run/react';
import { activityInScope, parseActivityQuery } from '../core/audit/activity-query.server';
import { ActivityTable } from '../ui/admin/activity-table';
import { requireStaff } from '../web/require-staff.server';
import { inputHints } from '../core/config/form-fields';
import { auditFilterFields } from '../core/audit/audit-filter-fields';
import { searchField } from '../core/forms/search-fields';
import { isTraceId, traceInScope } from '../core/audit/trace-query.server';
import { configReach } from '../core/config/config-reach.server';
import { TraceTimeline } from '../ui/admin/trace-timeline';
import { notFound } from '../web/http-errors.server';

export const meta: MetaFunction = () => [{ title: 'Activity · Client Updater' }];

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { route: 'admin-activity', permission: 'activity:read', limit: 'read' });
  args.context.app.state.route = 'admin-activity';
  const url = new URL(args.request.url);
  const params = Object.fromEntries(url.searchParams);
  const trace = url.searchParams.get('trace') || null;
  if (trace !== null) {
    // One trace (decision 094): 404 for an id the reader sees nothing of, as for one never used or
    // not even well formed (the same answer whatever the id: nothing is learned from it).
    if (!isTraceId(trace)) notFound();
    const read = staff.access.scope('config:read');
    const auditReach = read ? await configReach(args.context.app, read, staff.access.scope('config:manage')) : null;
    const steps = await traceInScope(args.context.app, staff.scope, trace, auditReach);
    if (!steps) notFound();
    return json({ error: null, params, list: null, trace: { id: trace, steps } });
  }
  const parsed = parseActivityQuery(url.searchParams);
  if (!parsed.ok) return json({ error: parsed.message, params, list: null, trace: null }, { status: 400 });
  return json({ error: null, params, list: await activityInScope(args.context.app, staff.scope, parsed.query), trace: null });
}

/** Newer/older links that keep every filter (keyset cursors instead of page numbers). */
function KeysetPager({ newerAfter, olderBefore }: { newerAfter: number | null; olderBefore: number | null }) {
  const location = useLocation();
  const hrefWith = (key: 'before' | 'after', id: number) => {
    const params = new URLSearchParams(location.search);
    params.delete('before');
    params.delete('after');
    params.set(key, String(id));
    return `${location.pathname}?${params}`;
  };
  return (
    <nav className="pager" aria-label="Pages">
      {newerAfter ? (
        <Link to={hrefWith('after', newerAfter)} rel="prev">
          ← Newer
        </Link>
      ) : (
        <span className="muted">← Newer</span>
      )}
      {olderBefore ? (
        <Link to={hrefWith('before', olderBefore)} rel="next">
          Older →
        </Link>
      ) : (
        <span className="muted">Older →</span>
      )}
    </nav>
  );
}

export default function ActivityScreen() {
  const { error, params, list, trace } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Activity</h1>
      <Form method="get" className="card filters" role="search">
        <div>
          <label htmlFor="a-user">User (email or id)</label>
          <input id="a-user" type="search" defaultValue={params.user ?? ''} {...inputHints(auditFilterFields.user)} name="user" />
        </div>
        <div>
          <label htmlFor="a-action">Action (e.g. auth.login_failed)</label>
          <input id="a-action" type="search" defaultValue={params.action ?? ''} {...inputHints(auditFilterFields.action)} name="action" />
        </div>
        <div>
          <label htmlFor="a-resource">Resource type (client, user, route…)</label>
          <input id="a-resource" type="search" defaultValue={params.resource ?? ''} {...inputHints(auditFilterFields.resource)} name="resource" />
        </div>
        <div>
          <label htmlFor="a-resource-id">Resource id</label>
          <input id="a-resource-id" type="search" defaultValue={params.resourceId ?? ''} {...inputHints(auditFilterFields.resourceId)} name="resourceId" />
        </div>
        <div>
          <label htmlFor="a-q">Text (action, id, IP, request, details)</label>
          <input id="a-q" type="search" defaultValue={params.q ?? ''} {...inputHints(searchField)} name="q" />
        </div>
        <div>
          <label htmlFor="a-trace">Trace (reference)</label>
          <input id="a-trace" type="search" defaultValue={params.trace ?? ''} name="trace" />
        </div>
        <div>
          <label htmlFor="a-from">From</label>
          <input id="a-from" type="date" name="from" defaultValue={params.from ?? ''} />
        </div>
        <div>
          <label htmlFor="a-to">To</label>
          <input id="a-to" type="date" name="to" defaultValue={params.to ?? ''} />
        </div>
        <div>
          <button type="submit">Filter</button>
        </div>
      </Form>
      {error ? (
        <p className="banner error" role="alert" data-testid="filter-error">
          {error}
        </p>
      ) : null}
      {trace ? <TraceTimeline traceId={trace.id} steps={trace.steps} /> : null}
      {list ? (
        <>
          <ActivityTable entries={list.rows} />
          <KeysetPager newerAfter={list.newerAfter} olderBefore={list.olderBefore} />
        </>
      ) : null}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../ui/general-error-boundary';
