import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/server-runtime";
import { Form, useActionData, useLoaderData, useNavigation, type MetaFunction } from "@remix-run/react";
import { periodFormSchema, initializePeriodOnDemand } from "../core/status/period-initialization-form.server";
import { periodLabel, periodOf, selectableYears } from "../core/status/periods";
import { fieldErrorsOf } from "../web/form-errors";
import { requireStaff } from "../web/require-staff.server";

export const meta: MetaFunction = () => [{ title: "Periods · Client Updater" }];

// Initialization covers every company's clients, so the gate asks config:manage at scope 'all'
// in every company (docs/decisions/009-period-initialization-screen.md).
const gate = { permission: "config:manage", everyCompany: true } as const;

const MONTHS = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2000, i, 1)).toLocaleString("en-PH", { month: "long", timeZone: "UTC" }));

export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, { route: "admin-periods", ...gate, limit: "read" });
  const ctx = args.context.app;
  const now = ctx.clock.now();
  const month = periodOf("monthly", now);
  return json({ years: selectableYears(now), current: { year: month.year, month: month.number, quarter: periodOf("quarterly", now).number } });
}

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, { route: "admin-periods", ...gate, limit: "write" });
  const ctx = args.context.app;
  const form = await args.request.formData();
  const values = Object.fromEntries(["periodType", "year", "month", "quarter"].map((k) => [k, String(form.get(k) ?? "")]));
  const parsed = periodFormSchema(ctx.clock.now()).safeParse(values);
  if (!parsed.success) return json({ ok: false as const, errors: fieldErrorsOf(parsed.error.issues), values }, { status: 400 });
  const report = await initializePeriodOnDemand(ctx, { userId: staff.user.id, userAgent: args.request.headers.get("user-agent") }, parsed.data);
  return json({ ok: true as const, label: periodLabel(parsed.data), report, values });
}

export default function PeriodsScreen() {
  const { years, current } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string> = result && !result.ok ? result.errors : {};
  const v = result?.values ?? { periodType: "monthly", year: String(current.year), month: String(current.month), quarter: String(current.quarter) };
  const errorOf = (name: string) => (errors[name] ? <p id={`p-${name}-error`} className="error">{errors[name]}</p> : null);
  return (
    <>
      <h1>Period initialization</h1>
      <p className="muted">Creates the PENDING row of every eligible client for one period (all companies). Running it again creates nothing new.</p>
      <Form method="post" className="card filters" data-testid="period-form">
        <div>
          <label htmlFor="p-periodType">Cycle</label>
          <select id="p-periodType" name="periodType" defaultValue={v.periodType} aria-invalid={errors.periodType ? true : undefined}>
            <option value="monthly">Monthly</option>
            <option value="quarterly">Quarterly (PNP)</option>
          </select>
          {errorOf("periodType")}
        </div>
        <div>
          <label htmlFor="p-year">Year</label>
          <select id="p-year" name="year" defaultValue={v.year} aria-invalid={errors.year ? true : undefined}>
            {years.map((y) => <option key={y} value={y}>{y}</option>)}
          </select>
          {errorOf("year")}
        </div>
        <div>
          <label htmlFor="p-month">Month (monthly)</label>
          <select id="p-month" name="month" defaultValue={v.month} aria-invalid={errors.month ? true : undefined}>
            {MONTHS.map((m, i) => <option key={m} value={i + 1}>{m}</option>)}
          </select>
          {errorOf("month")}
        </div>
        <div>
          <label htmlFor="p-quarter">Quarter (quarterly)</label>
          <select id="p-quarter" name="quarter" defaultValue={v.quarter} aria-invalid={errors.quarter ? true : undefined}>
            {[1, 2, 3, 4].map((q) => <option key={q} value={q}>Q{q}</option>)}
          </select>
          {errorOf("quarter")}
        </div>
        <div><button type="submit" disabled={busy}>{busy ? "Initializing…" : "Initialize period"}</button></div>
      </Form>
      {result?.ok ? (
        <section className="card" data-testid="period-report" role="status">
          <h2>{result.label} ({result.report.periodKey})</h2>
          <dl className="facts">
            <dt>Created</dt><dd data-testid="report-created">{result.report.created}</dd>
            <dt>Already present</dt><dd data-testid="report-present">{result.report.alreadyPresent}</dd>
            <dt>Left out: inactive or deleted</dt><dd>{result.report.leftOut.inactive}</dd>
            <dt>Left out: PAR status not trackable</dt><dd>{result.report.leftOut.parNotTrackable}</dd>
            <dt>Left out: product on the other cycle</dt><dd>{result.report.leftOut.otherCycle}</dd>
            <dt>Left out: terminal in an earlier period</dt><dd>{result.report.leftOut.terminalEarlier}</dd>
          </dl>
        </section>
      ) : null}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "../ui/general-error-boundary";
