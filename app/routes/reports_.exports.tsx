import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Form, Link, useActionData, useLoaderData, useNavigation, type MetaFunction } from '@remix-run/react';
import { EXPORT_FILTER_KEYS, EXPORT_KINDS, EXPORT_LABELS, EXPORT_READ_PERMISSION, isExportKind, type ExportKind } from '../core/exports/export-kinds';
import { intersectScopes } from '../core/exports/export-scope';
import { ACTIVE_EXPORT_STATES, myExports } from '../core/exports/my-exports.server';
import { requestExport } from '../core/exports/request-export.server';
import { replyFor, valueOf } from '../core/forms/form-reply';
import { periodOf } from '../core/status/periods';
import { ExportList } from '../ui/exports/export-list';
import { redirectWithFlash } from '../web/flash.server';
import { failWith, formFailure, readRequestForm, replyOf, valuesOf } from '../web/form-protocol.server';
import { forbidden } from '../web/http-errors.server';
import { requireStaff } from '../web/require-staff.server';

export const meta: MetaFunction = () => [{ title: 'Exports · Client Updater' }];

/** Filters the form lets the user change; every other filter the screen carried rides in a hidden field. */
const EDITABLE: Partial<Record<ExportKind, readonly string[]>> = {
  client_status: ['company', 'period'],
  branch_performance: ['period'],
  agent_performance: ['period'],
  activity: ['from', 'to'],
};

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { route: 'reports-exports', permission: 'reports:export', limit: 'read' });
  const ctx = args.context.app;
  const url = new URL(args.request.url);
  const kinds = EXPORT_KINDS.filter((k) => intersectScopes(staff.access.scope(EXPORT_READ_PERMISSION[k]), staff.scope) !== null);
  const type = url.searchParams.get('type');
  const kind = isExportKind(type) && kinds.includes(type) ? type : null;
  const filters: Record<string, string> = {};
  if (kind) for (const key of EXPORT_FILTER_KEYS[kind]) if (url.searchParams.get(key)) filters[key] = url.searchParams.get(key)!.slice(0, 200);
  const list = await myExports(ctx, staff.user.id);
  return json({
    kinds: kinds.map((k) => ({ kind: k, label: EXPORT_LABELS[k] })),
    draft: kind ? { kind, label: EXPORT_LABELS[kind], filters } : null,
    currentMonth: periodOf('monthly', ctx.clock.now()).key,
    list,
    active: list.some((e) => ACTIVE_EXPORT_STATES.includes(e.state)),
  });
}

export async function action(args: ActionFunctionArgs) {
  // The export policy (5 per 5 minutes, refused while the limiter's store is down) is spent here.
  const staff = await requireStaff(args, { route: 'reports-exports', permission: 'reports:export', limit: 'export' });
  const ctx = args.context.app;
  const form = await readRequestForm(args.request);
  const input: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) if (typeof value === 'string' && !(key in input)) input[key] = value;
  const result = await requestExport(ctx, { userId: staff.user.id, access: staff.access, userAgent: args.request.headers.get('user-agent') }, input);
  if (result.ok)
    return redirectWithFlash(ctx, `/reports/exports?requested=${result.exportId}`, `Export #${result.exportId} requested. It appears below when it is ready.`);
  if (result.code === 'FORBIDDEN') forbidden(result.message);
  if (result.code === 'TOO_MANY_RUNNING') return failWith(valuesOf(form), { message: result.message }, { status: 429 });
  return formFailure(replyOf({ values: valuesOf(form), fieldErrors: result.fieldErrors }));
}

export default function ExportsScreen() {
  const { kinds, draft, currentMonth, list, active } = useLoaderData<typeof loader>();
  const reply = replyFor(useActionData<typeof action>());
  const busy = useNavigation().state === 'submitting';
  const kind = (reply ? valueOf(reply, 'type') : draft?.kind) as ExportKind | undefined;
  const carried = draft?.filters ?? {};
  const value = (key: string) => (reply ? valueOf(reply, key) : carried[key]) ?? '';
  const editable = kind ? (EDITABLE[kind] ?? []) : [];
  return (
    <>
      <h1>Exports</h1>
      <nav className="segments" aria-label="New export">
        {kinds.map((k) => (
          <Link key={k.kind} to={`?type=${k.kind}`} aria-current={k.kind === kind ? 'page' : undefined}>
            {k.label}
          </Link>
        ))}
      </nav>
      {kind ? (
        <Form method="post" className="card" data-testid="export-form">
          <h2>New export: {EXPORT_LABELS[kind]}</h2>
          <input type="hidden" name="type" value={kind} />
          {EXPORT_FILTER_KEYS[kind]
            .filter((key) => !editable.includes(key) && value(key) !== '')
            .map((key) => (
              <input key={key} type="hidden" name={key} value={value(key)} />
            ))}
          <p className="muted" data-testid="export-filters">
            Filters:{' '}
            {EXPORT_FILTER_KEYS[kind]
              .filter((key) => !editable.includes(key) && value(key) !== '')
              .map((key) => `${key}=${value(key)}`)
              .join(', ') || 'none (everything you may read)'}
          </p>
          {editable.includes('company') ? (
            <div>
              <label htmlFor="x-company">Company</label>
              <select id="x-company" name="company" defaultValue={value('company') || 'fcash'}>
                <option value="fcash">FCASH</option>
                <option value="pcni">PCNI</option>
              </select>
              {value('segment') ? <input type="hidden" name="segment" value={value('segment')} /> : null}
            </div>
          ) : null}
          {editable.includes('period') ? (
            <div>
              <label htmlFor="x-period">Period (2026-11, or 2026-Q4 for PNP)</label>
              <input id="x-period" name="period" defaultValue={value('period') || currentMonth} />
            </div>
          ) : null}
          {editable.includes('from') ? (
            <div>
              <label htmlFor="x-from">From</label>
              <input id="x-from" type="date" name="from" defaultValue={value('from')} />
              <label htmlFor="x-to">To</label>
              <input id="x-to" type="date" name="to" defaultValue={value('to')} />
            </div>
          ) : null}
          <fieldset>
            <legend>Format</legend>
            <label>
              <input type="radio" name="format" value="xlsx" defaultChecked={(value('format') || 'xlsx') === 'xlsx'} /> Excel (XLSX)
            </label>
            <label>
              <input type="radio" name="format" value="csv" defaultChecked={value('format') === 'csv'} /> CSV
            </label>
          </fieldset>
          {reply ? (
            <p className="banner error" role="alert" data-testid="export-form-error">
              {reply.formError ?? Object.values(reply.fieldErrors)[0]}
            </p>
          ) : null}
          <button type="submit" data-testid="export-submit">
            {busy ? 'Asking…' : 'Request export'}
          </button>
        </Form>
      ) : (
        <p className="muted">Choose what to export above, or use the Export button of the clients list or a workspace to export what it shows.</p>
      )}
      <section className="card">
        <h2>My exports</h2>
        <p className="muted">Files are kept 24 hours; a download link lasts one hour.</p>
        <ExportList items={list} active={active} />
      </section>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../ui/general-error-boundary';
