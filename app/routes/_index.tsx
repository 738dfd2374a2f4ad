import { json, redirect, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Form, Link, useLoaderData, type MetaFunction } from '@remix-run/react';
import { dashboardFor, share } from '../core/reports/dashboard.server';
import { periodLabel } from '../core/status/periods';
import { periodChoices } from '../core/workspace/workspace-options.server';
import { parseWorkspaceQuery, workspaceKind } from '../core/workspace/workspace-query.server';
import { BarChart } from '../ui/charts/bar-chart';
import { TrendChart } from '../ui/charts/trend-chart';
import { badRequest, notFound } from '../web/http-errors.server';
import { companyInScope, requireStaff, workspaceCompanies } from '../web/require-staff.server';

export const meta: MetaFunction = () => [{ title: 'Dashboard · Client Updater' }];

/** Home: the dashboard for those who read reports; everyone else goes to their workspace or clients. */
export async function loader(args: LoaderFunctionArgs) {
  // Without reports:read, home is the user's workspace (or the clients list), not a 403.
  const staff = await requireStaff(args, {
    route: 'dashboard',
    permission: 'reports:read',
    limit: 'read',
    otherwise: async (access) => {
      const [company] = await workspaceCompanies(args, access);
      return redirect(company ? `/workspace/${company.toLowerCase()}` : '/clients');
    },
  });
  const ctx = args.context.app;
  const url = new URL(args.request.url);
  const companies = await workspaceCompanies(args, staff.access);
  const company = url.searchParams.get('company') ?? companies[0]?.toLowerCase() ?? 'fcash';
  const kind = workspaceKind(company, url.searchParams.get('segment'));
  if (!kind) notFound();
  const companyId = await companyInScope(args, staff.scope, kind.companyCode);
  if (!companyId) notFound();
  const parsed = parseWorkspaceQuery(new URLSearchParams({ period: url.searchParams.get('period') ?? '' }), kind, ctx.clock.now());
  if (!parsed.ok) badRequest(parsed.message);
  const period = parsed.query.periodRef;
  const dashboard = await dashboardFor(ctx, staff.scope, companyId, kind.cycle, period);
  const done = dashboard.statuses.find((s) => s.code === 'DONE')?.count ?? 0;
  return json({
    done,
    doneShare: share(done, dashboard.total),
    companies,
    kind,
    period: { key: period.key, label: periodLabel(period) },
    periods: periodChoices(kind.cycle, ctx.clock.now()),
    dashboard,
  });
}

export default function DashboardScreen() {
  const { companies, kind, period, periods, dashboard: d, done, doneShare } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>
        Dashboard · {kind.companyCode}
        {kind.companyCode === 'PCNI' ? (kind.segment === 'pnp' ? ' PNP' : ' Non-PNP') : ''} · {period.label}
      </h1>
      <Form method="get" className="card filters">
        <div>
          <label htmlFor="d-company">Company</label>
          <select id="d-company" name="company" defaultValue={kind.companyCode.toLowerCase()}>
            {companies.map((c) => (
              <option key={c} value={c.toLowerCase()}>
                {c}
              </option>
            ))}
          </select>
        </div>
        {kind.companyCode === 'PCNI' ? (
          <div>
            <label htmlFor="d-segment">Segment</label>
            <select id="d-segment" name="segment" defaultValue={kind.segment}>
              <option value="non-pnp">Non-PNP (monthly)</option>
              <option value="pnp">PNP (quarterly)</option>
            </select>
          </div>
        ) : null}
        <div>
          <label htmlFor="d-period">Period</label>
          <select id="d-period" name="period" defaultValue={period.key}>
            {periods.map((p) => (
              <option key={p.key} value={p.key}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <button type="submit">Show</button>
        </div>
      </Form>
      <div className="kpis">
        <div className="kpi" data-testid="kpi-total">
          Clients<strong>{d.total}</strong>
        </div>
        <div className="kpi" data-testid="kpi-done">
          Done<strong>{done}</strong>
          {doneShare.toFixed(1)}%
        </div>
        <div className="kpi" data-testid="kpi-payments">
          Payments<strong>{d.payments}</strong>
        </div>
        <div className="kpi" data-testid="kpi-terminal">
          Terminal<strong>{d.terminal}</strong>
        </div>
      </div>
      <section className="card">
        <h2>By status</h2>
        <table>
          <thead>
            <tr>
              <th>Status</th>
              <th className="num">Clients</th>
              <th className="num">Share</th>
            </tr>
          </thead>
          <tbody>
            {d.statuses.map((s) => (
              <tr key={s.code} data-testid={`dash-${s.code}`}>
                <td>
                  <Link
                    to={`/workspace/${kind.companyCode.toLowerCase()}?${kind.companyCode === 'PCNI' ? `segment=${kind.segment}&` : ''}period=${period.key}&status=${s.id}`}
                  >
                    {s.name}
                  </Link>
                </td>
                <td className="num">{s.count}</td>
                <td className="num">{s.share.toFixed(1)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
        <BarChart label="Clients per status" items={d.statuses.map((s) => ({ label: s.name, value: s.count }))} />
      </section>
      <section className="card">
        <h2>By pension type (done / total)</h2>
        <BarChart label="Done per pension type" items={d.pensionTypes.map((p) => ({ label: p.code, value: p.done, note: `/ ${p.total}` }))} />
      </section>
      <section className="card grid-2">
        <div>
          <h2>Top branches (completion)</h2>
          <BarChart label="Top 10 branches by completion" unit="%" items={d.branchesTop.map((b) => ({ label: b.code, value: b.pct }))} />
        </div>
        <div>
          <h2>Bottom branches</h2>
          <BarChart label="Bottom 10 branches by completion" unit="%" items={d.branchesBottom.map((b) => ({ label: b.code, value: b.pct }))} />
        </div>
      </section>
      <section className="card">
        <h2>Completion per agent</h2>
        <p className="muted">
          Agent = who last updated the client's row this period; completion = done ÷ the rows they updated. {d.unassigned} row{d.unassigned === 1 ? '' : 's'}{' '}
          not updated by anyone yet.
        </p>
        {d.agents.length === 0 ? (
          <p className="muted">No updates in this period yet.</p>
        ) : (
          <table data-testid="agent-completion">
            <thead>
              <tr>
                <th>Agent</th>
                <th className="num">Updated</th>
                <th className="num">Done</th>
                <th className="num">Completion</th>
              </tr>
            </thead>
            <tbody>
              {d.agents.map((a) => (
                <tr key={a.userId} data-testid="agent-row">
                  <td>{a.name}</td>
                  <td className="num">{a.touched}</td>
                  <td className="num">{a.done}</td>
                  <td className="num">{a.pct.toFixed(1)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card">
        <h2>Daily updates</h2>
        <p className="legend">
          — updates · <span className="done">- - done</span>
        </p>
        <TrendChart label="Updates per day" points={d.daily} />
      </section>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../ui/general-error-boundary';
