import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Form, useActionData, useLoaderData, useNavigation, type MetaFunction } from '@remix-run/react';
import { periodFormSchema, initializePeriodOnDemand } from '../core/status/period-initialization-form.server';
import { periodLabel, periodOf, selectableYears } from '../core/status/periods';
import { redirectWithFlash } from '../web/flash.server';
import { replyFor } from '../core/forms/form-reply';
import { formFailure, readFormData, readRequestForm } from '../web/form-protocol.server';
import { requireStaff } from '../web/require-staff.server';

export const meta: MetaFunction = () => [{ title: 'Periods · Client Updater' }];

// Initialization covers every company's clients, so the gate asks config:manage at scope 'all'
// in every company (docs/decisions/009-period-initialization-screen.md).
const gate = { permission: 'config:manage', everyCompany: true } as const;

const MONTHS = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2000, i, 1)).toLocaleString('en-PH', { month: 'long', timeZone: 'UTC' }));

export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, { route: 'admin-periods', ...gate, limit: 'read' });
  const ctx = args.context.app;
  const now = ctx.clock.now();
  const month = periodOf('monthly', now);
  return json({ years: selectableYears(now), current: { year: month.year, month: month.number, quarter: periodOf('quarterly', now).number } });
}

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, { route: 'admin-periods', ...gate, limit: 'write' });
  const ctx = args.context.app;
  const form = await readRequestForm(args.request);
  const input = Object.fromEntries(['periodType', 'year', 'month', 'quarter'].map((k) => [k, String(form.get(k) ?? '')]));
  const read = readFormData(form, periodFormSchema(ctx.clock.now()), input);
  if (!read.ok) return formFailure({ ...read.reply, values: input });
  const report = await initializePeriodOnDemand(ctx, { userId: staff.user.id, userAgent: args.request.headers.get('user-agent') }, read.data);
  // The report rides in the flash: a reload shows the form again and never initializes twice.
  return redirectWithFlash(ctx, '/admin/periods', {
    type: 'success',
    message: `${periodLabel(read.data)} (${report.periodKey}) initialized.`,
    details: [
      ['Created', String(report.created)],
      ['Already present', String(report.alreadyPresent)],
      ['Left out: inactive or deleted', String(report.leftOut.inactive)],
      ['Left out: PAR status not trackable', String(report.leftOut.parNotTrackable)],
      ['Left out: product on the other cycle', String(report.leftOut.otherCycle)],
      ['Left out: terminal in an earlier period', String(report.leftOut.terminalEarlier)],
    ],
  });
}

export default function PeriodsScreen() {
  const { years, current } = useLoaderData<typeof loader>();
  const reply = replyFor(useActionData<typeof action>());
  const busy = useNavigation().state === 'submitting';
  const errors: Record<string, string> = reply?.fieldErrors ?? {};
  const v = (reply?.values as Record<string, string> | undefined) ?? {
    periodType: 'monthly',
    year: String(current.year),
    month: String(current.month),
    quarter: String(current.quarter),
  };
  const errorOf = (name: string) =>
    errors[name] ? (
      <p id={`p-${name}-error`} className="error">
        {errors[name]}
      </p>
    ) : null;
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
          {errorOf('periodType')}
        </div>
        <div>
          <label htmlFor="p-year">Year</label>
          <select id="p-year" name="year" defaultValue={v.year} aria-invalid={errors.year ? true : undefined}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
          {errorOf('year')}
        </div>
        <div>
          <label htmlFor="p-month">Month (monthly)</label>
          <select id="p-month" name="month" defaultValue={v.month} aria-invalid={errors.month ? true : undefined}>
            {MONTHS.map((m, i) => (
              <option key={m} value={i + 1}>
                {m}
              </option>
            ))}
          </select>
          {errorOf('month')}
        </div>
        <div>
          <label htmlFor="p-quarter">Quarter (quarterly)</label>
          <select id="p-quarter" name="quarter" defaultValue={v.quarter} aria-invalid={errors.quarter ? true : undefined}>
            {[1, 2, 3, 4].map((q) => (
              <option key={q} value={q}>
                Q{q}
              </option>
            ))}
          </select>
          {errorOf('quarter')}
        </div>
        <div>
          <button type="submit" disabled={busy}>
            {busy ? 'Initializing…' : 'Initialize period'}
          </button>
        </div>
      </Form>
      {reply?.formError ? (
        <p className="banner error" role="alert">
          {reply.formError}
        </p>
      ) : null}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../ui/general-error-boundary';
