import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Link, useActionData, useLoaderData, useLocation, type MetaFunction } from '@remix-run/react';
import { workspaceList } from '../../core/workspace/workspace-list.server';
import { workspaceCompanyId, workspaceOptions } from '../../core/workspace/workspace-options.server';
import { parseWorkspaceQuery, workspaceKind } from '../../core/workspace/workspace-query.server';
import { Pager } from '../../ui/pager';
import { BulkForm } from '../../ui/workspace/bulk-form';
import { StatusCounts } from '../../ui/workspace/status-counts';
import { WorkspaceFilters } from '../../ui/workspace/workspace-filters';
import { WorkspaceTable } from '../../ui/workspace/workspace-table';
import { notFound } from '../../web/http-errors.server';
import { companyInScope, requireStaff } from '../../web/require-staff.server';
import { replyFor } from '../../core/forms/form-reply';
import { idParam } from '../../web/route-id.server';
import { handleWorkspaceAction } from './actions.server';
import { readRequestForm } from '../../web/form-protocol.server';
import { TraceReference } from '../../ui/trace-reference';
import { exportRequestHref } from '../../core/exports/export-kinds';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? 'Workspace'} · Client Updater` }];

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { route: 'workspace', permission: 'status:read', limit: 'read' });
  const ctx = args.context.app;
  const url = new URL(args.request.url);
  const kind = workspaceKind(args.params.company ?? '', url.searchParams.get('segment'));
  if (!kind) notFound();
  // The company from the request's list (read with the session at the edge), so the rows are read beside the options.
  const companyId = await companyInScope(args, staff.scope, kind.companyCode);
  if (!companyId) notFound();
  const parsed = parseWorkspaceQuery(url.searchParams, kind, ctx.clock.now());
  const [options, list] = await Promise.all([
    workspaceOptions(ctx, staff.scope, kind),
    parsed.ok ? workspaceList(ctx, staff.scope, companyId, parsed.query) : Promise.resolve(null),
  ]);
  if (!options) notFound();
  // Update forms only where a save can succeed: this company, and per row the branches of the update grant.
  const updateGrant = staff.access.scope('status:update')?.companies.find((c) => c.companyId === options.company.id);
  const updateBranches = updateGrant ? updateGrant.branchIds : null;
  const canUpdate = Boolean(updateGrant);
  const canExport = staff.access.can('reports:export');
  const params = Object.fromEntries(url.searchParams);
  const title = kind.companyCode === 'FCASH' ? 'FCASH workspace' : `PCNI workspace · ${kind.segment === 'pnp' ? 'PNP' : 'Non-PNP'}`;
  const editing = idParam(url.searchParams.get('edit') ?? undefined);
  if (!parsed.ok)
    return json(
      { title, kind, options, params, canUpdate, canExport, updateBranches, editing, error: parsed.message, period: null, list: null },
      { status: 400 },
    );
  // The route data repeats every row the HTML already holds: send only what the table and its
  // forms read (decision 110; remarks, PAR, pension type and the reason's id are not shown here).
  const rows = (list?.rows ?? []).map((r) => ({
    clientId: r.clientId,
    clientCode: r.clientCode,
    fullName: r.fullName,
    branchCode: r.branchCode,
    branchId: r.branchId,
    statusTypeId: r.statusTypeId,
    statusCode: r.statusCode,
    statusName: r.statusName,
    reasonName: r.reasonName,
    hasPayment: r.hasPayment,
    isTerminal: r.isTerminal,
    version: r.version,
    lastUpdatedAt: r.lastUpdatedAt,
  }));
  return json({
    title,
    kind,
    options,
    params,
    canUpdate,
    canExport,
    updateBranches,
    editing,
    error: null,
    period: parsed.query.periodRef,
    list: list && { ...list, rows },
  });
}

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, { route: 'workspace', permission: 'status:update', limit: 'write' });
  const ctx = args.context.app;
  const url = new URL(args.request.url);
  const kind = workspaceKind(args.params.company ?? '', url.searchParams.get('segment'));
  // A workspace of a company the user cannot update does not exist for them (as in the loader).
  const companyId = kind ? await workspaceCompanyId(ctx, staff.scope, kind) : null;
  if (!companyId) notFound();
  const revertScope = staff.access.scope('status:revert');
  const who = { userId: staff.user.id, scope: staff.scope, revertScope };
  return handleWorkspaceAction(ctx, who, companyId, await readRequestForm(args.request), url.pathname + url.search);
}

export default function Workspace() {
  const { title, kind, options, params, canUpdate, canExport, updateBranches, editing, error, period, list } = useLoaderData<typeof loader>();
  const result = replyFor(useActionData<typeof action>());
  const location = useLocation();
  const here = location.pathname + location.search;
  return (
    <>
      <h1>{title}</h1>
      {kind.companyCode === 'PCNI' ? (
        <nav className="segments" aria-label="PCNI segment">
          <Link to="?segment=non-pnp" aria-current={kind.segment === 'non-pnp' ? 'page' : undefined}>
            Non-PNP (monthly)
          </Link>
          <Link to="?segment=pnp" aria-current={kind.segment === 'pnp' ? 'page' : undefined}>
            PNP (quarterly)
          </Link>
        </nav>
      ) : null}
      <WorkspaceFilters options={options} params={params} />
      {canExport && period ? (
        <p>
          <Link
            to={exportRequestHref('client_status', {
              ...params,
              company: kind.companyCode.toLowerCase(),
              segment: kind.segment === 'fcash' ? undefined : kind.segment,
              period: period.key,
            })}
            data-testid="export-link"
          >
            Export this list…
          </Link>
        </p>
      ) : null}
      {error ? (
        <p className="banner error" role="alert" data-testid="filter-error">
          {error}
        </p>
      ) : null}
      {result?.intent === 'status' ? (
        <p className="banner error" role="alert" data-testid={result.current ? 'conflict' : 'status-error'}>
          {result.current
            ? 'Someone else updated that client meanwhile; the list shows the newer state.'
            : (result.formError ?? Object.values(result.fieldErrors)[0])}{' '}
          {result.current ? <TraceReference /> : null}
        </p>
      ) : null}
      {result?.intent === 'bulk' ? (
        <p className="banner error" role="alert" data-testid="bulk-error">
          {result.formError}
        </p>
      ) : null}
      {list && period ? (
        <>
          <StatusCounts statuses={options.statuses} counts={list.counts} active={params.status ? Number(params.status) : undefined} />
          {canUpdate ? <BulkForm periodKey={period.key} statuses={options.statuses} reasons={options.reasons} /> : null}
          <WorkspaceTable
            rows={list.rows}
            periodKey={period.key}
            statuses={options.statuses}
            reasons={options.reasons}
            canUpdate={canUpdate}
            updateBranches={updateBranches}
            returnTo={here}
            editing={editingOf(editing, result)}
          />
          <Pager page={list.page} pages={list.pages} total={list.total} />
        </>
      ) : null}
    </>
  );
}

/** The row whose form is open on arrival: the row a refused save came from, else `edit=` of the address (no JavaScript). */
function editingOf(editing: number | null, reply: ReturnType<typeof replyFor>): number | null {
  const fromReply = reply?.intent === 'status' ? Number(reply.values.clientId) : NaN;
  return Number.isSafeInteger(fromReply) && fromReply > 0 ? fromReply : editing;
}

export { GeneralErrorBoundary as ErrorBoundary } from '../../ui/general-error-boundary';
