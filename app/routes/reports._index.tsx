import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Form, Link, useActionData, useLoaderData, useNavigation, type MetaFunction } from '@remix-run/react';
import { replyFor } from '../core/forms/form-reply';
import { parsePerformanceQuery } from '../core/reports/performance-query.server';
import { performanceFilterOptions, performanceReport, reachableCompanyOf, reportCompanies } from '../core/reports/performance.server';
import { pendingRefresh, requestSnapshotRefresh } from '../core/reports/snapshot-refresh.server';
import { periodLabel, periodOf } from '../core/status/periods';
import { periodChoices } from '../core/workspace/workspace-options.server';
import { formatDateTime } from '../ui/format';
import { CompletionChart } from '../ui/reports/completion-chart';
import { PerformanceFilters } from '../ui/reports/performance-filters';
import { PerformanceTable } from '../ui/reports/performance-table';
import { PeriodTrend } from '../ui/reports/period-trend';
import { redirectWithFlash } from '../web/flash.server';
import { formFailure, intentOf, readRequestForm, replyOf, valuesOf } from '../web/form-protocol.server';
import { badRequest, notFound } from '../web/http-errors.server';
import { requestCompanies, requireStaff, type Staff } from '../web/require-staff.server';
import { exportRequestHref } from '../core/exports/export-kinds';

export const meta: MetaFunction = () => [{ title: 'Performance · Client Updater' }];

const FILTER_KEYS = ['company', 'segment', 'period', 'area', 'branch', 'view'] as const;

/** The company the query names (or the reader's first), in the reader's reports:read scope; else 404. */
async function resolve(args: Pick<LoaderFunctionArgs, 'request' | 'context'>, staff: Staff, params: URLSearchParams) {
  const ctx = args.context.app;
  const companies = reportCompanies(await requestCompanies(args), staff.scope);
  const parsed = parsePerformanceQuery(params, companies[0]?.code.toLowerCase() ?? 'fcash', ctx.clock.now());
  if (!parsed.ok) badRequest(parsed.message);
  const company = companies.find((c) => c.code === parsed.query.kind.companyCode);
  if (!company) notFound();
  return { companies, company, query: parsed.query };
}

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { route: 'reports', permission: 'reports:read', limit: 'read' });
  const ctx = args.context.app;
  const url = new URL(args.request.url);
  const { companies, company, query } = await resolve(args, staff, url.searchParams);
  // An area or branch outside the reader's reach answers like an unknown one (decision 075); one of
  // the reader's other company is dropped (the company was switched with the old filter in the form).
  // Both are checked together (one round trip at the edge), before the reads that take them.
  const filtersOf = ['area', 'branch'] as const;
  const reachable = await Promise.all(
    filtersOf.map((what) => {
      const id = query[what === 'area' ? 'areaId' : 'branchId'];
      return id === null ? null : reachableCompanyOf(ctx, staff.scope, what, id);
    }),
  );
  filtersOf.forEach((what, i) => {
    const key = what === 'area' ? 'areaId' : 'branchId';
    if (query[key] === null) return;
    if (reachable[i] === null) notFound();
    if (reachable[i] !== company.id) query[key] = null;
  });
  const filter = { companyId: company.id, period: query.period, areaId: query.areaId, branchId: query.branchId };
  const isCurrent = query.period.key === periodOf(query.period.type, ctx.clock.now()).key;
  // The picker's options, the report and the refresh state depend on none of each other: one step.
  const [options, report, refresh] = await Promise.all([
    performanceFilterOptions(ctx, staff.scope, company.id, query.areaId),
    performanceReport(ctx, staff.scope, filter, query.view, query.sort, query.dir),
    pendingRefresh(ctx, query.period, isCurrent),
  ]);
  const filters: Record<string, string> = {
    company: query.kind.companyCode.toLowerCase(),
    ...(query.kind.companyCode === 'PCNI' ? { segment: query.kind.segment } : {}),
    period: query.period.key,
    ...(query.areaId ? { area: String(query.areaId) } : {}),
    ...(query.branchId ? { branch: String(query.branchId) } : {}),
    view: query.view,
  };
  // The Export link carries this screen's filters to the request screen (issue 12: "an Export button … carries the current filters").
  const exportHref = staff.access.can('reports:export')
    ? exportRequestHref(query.view === 'branch' ? 'branch_performance' : 'agent_performance', {
        company: String(company.id),
        period: query.period.key,
        ...(query.view === 'branch' && query.branchId ? { branch: String(query.branchId) } : {}),
      })
    : null;
  return json({
    exportHref,
    companies: companies.map((c) => c.code),
    kind: query.kind,
    period: { key: query.period.key, label: periodLabel(query.period) },
    periods: periodChoices(query.kind.cycle, ctx.clock.now()),
    options: { areas: options.areas, branches: options.branches },
    filters,
    view: query.view,
    sort: query.sort,
    dir: query.dir,
    report,
    refresh,
  });
}

/** One form: "Refresh figures" for the period shown (reports:read, the write limit). */
export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, { route: 'reports', permission: 'reports:read', limit: 'write' });
  const ctx = args.context.app;
  const form = await readRequestForm(args.request);
  const fields = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = form.get(key);
    if (typeof value === 'string' && value !== '') fields.set(key, value);
  }
  if (intentOf(form) !== 'refresh' || !fields.get('period')) {
    return formFailure(replyOf({ intent: intentOf(form), values: valuesOf(form), formError: 'That form could not be read. Reload the page and try again.' }));
  }
  const { query } = await resolve(args, staff, fields);
  const isCurrent = query.period.key === periodOf(query.period.type, ctx.clock.now()).key;
  const result = await requestSnapshotRefresh(ctx, { userId: staff.user.id, userAgent: args.request.headers.get('user-agent') }, query.period, isCurrent);
  return redirectWithFlash(
    ctx,
    `/reports?${fields.toString()}`,
    result.queued
      ? `Refresh of ${periodLabel(query.period)} queued: the figures are recomputed within a minute or so.`
      : `A refresh of ${periodLabel(query.period)} was asked for a moment ago; it is on its way.`,
  );
}

export default function ReportsScreen() {
  const { exportHref, companies, kind, period, periods, options, filters, view, sort, dir, report, refresh } = useLoaderData<typeof loader>();
  const reply = replyFor(useActionData<typeof action>(), 'refresh');
  const busy = useNavigation().state === 'submitting';
  const segment = kind.companyCode === 'PCNI' ? (kind.segment === 'pnp' ? ' PNP' : ' Non-PNP') : '';
  return (
    <>
      <h1>
        Performance · {kind.companyCode}
        {segment} · {period.label}
      </h1>
      <PerformanceFilters companies={companies} kind={kind} period={period.key} periods={periods} options={options} filters={filters} />
      <section className="card" aria-labelledby="computed-heading">
        <h2 id="computed-heading" className="sr-only">
          Freshness
        </h2>
        <p data-testid="computed-at">
          {report.computedAt === null
            ? 'The figures of this period have not been computed yet.'
            : `Figures computed ${formatDateTime(report.computedAt)} (Manila time).`}{' '}
          {refresh ? (
            <span data-testid="refresh-pending">
              A refresh is {refresh.status === 'running' ? 'running' : 'queued'} (asked {formatDateTime(refresh.askedAt)}).
            </span>
          ) : null}
        </p>
        <Form method="post" replace>
          <input type="hidden" name="intent" value="refresh" />
          {Object.entries(filters).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <button type="submit" disabled={busy} data-testid="refresh">
            {busy ? 'Asking…' : 'Refresh figures'}
          </button>
        </Form>
        {reply?.formError ? (
          <p className="banner error" role="alert">
            {reply.formError}
          </p>
        ) : null}
      </section>
      <section className="card">
        <h2>Per {view === 'branch' ? 'branch' : 'agent'}</h2>
        {exportHref ? (
          <p>
            <Link to={exportHref} data-testid="export-link">
              Export these figures…
            </Link>
          </p>
        ) : null}
        <p className="muted">
          Contacted = at CALLED or further; updated = at UPDATED or further; conversion = completed ÷ clients.
          {view === 'agent'
            ? ' Agent = who last updated the client’s row this period.'
            : ` Behind = completion more than the grace below the ${report.expectedPct.toFixed(1)}% of the period gone by.`}
        </p>
        {report.rows.length === 0 ? (
          <p className="muted" data-testid="no-figures">
            No figures for this selection.
          </p>
        ) : (
          <>
            <PerformanceTable rows={report.rows} totals={report.totals} view={view} filters={filters} sort={sort} dir={dir} />
            <CompletionChart subject={view} items={report.rows.map((r) => ({ label: r.label, rate: r.conversionRate }))} />
          </>
        )}
      </section>
      <section className="card">
        <h2>Trend</h2>
        <PeriodTrend points={report.trend} />
      </section>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../ui/general-error-boundary';
