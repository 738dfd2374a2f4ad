import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { useActionData, useLoaderData, useLocation, type MetaFunction } from '@remix-run/react';
import { activeSyncProgress, listSyncJobs, requestSync, syncProgress } from '../core/jobs/sync-requests.server';
import { pagingFrom } from '../core/paging/paging';
import { LiveSyncProgress } from '../ui/jobs/sync-progress';
import { SyncForm, type SyncFormValues } from '../ui/jobs/sync-form';
import { SyncHistoryTable } from '../ui/jobs/sync-history-table';
import { Pager } from '../ui/pager';
import { redirectWithFlash } from '../web/flash.server';
import { replyFor, valueOf } from '../core/forms/form-reply';
import { conflictWith, formFailure, replyOf, valuesOf, readRequestForm } from '../web/form-protocol.server';
import { requireStaff } from '../web/require-staff.server';
import { idParam } from '../web/route-id.server';

export const meta: MetaFunction = () => [{ title: 'Snowflake sync · Client Updater' }];

// A sync reads and writes every company's clients, and its reports hold them: the screen asks
// sync:read / sync:execute at scope 'all' in EVERY company, like /admin/periods (decision 065).
const readGate = { permission: 'sync:read', everyCompany: true } as const;
const runGate = { permission: 'sync:execute', everyCompany: true } as const;

export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, { route: 'admin-sync', ...readGate, limit: 'read' });
  const ctx = args.context.app;
  const url = new URL(args.request.url);
  // After a trigger the page keeps showing that sync (also once it is done); otherwise the active one.
  const requestedId = idParam(url.searchParams.get('requested') ?? undefined);
  const [requested, active, history] = await Promise.all([
    requestedId === null ? null : syncProgress(ctx, requestedId),
    activeSyncProgress(ctx),
    listSyncJobs(ctx, pagingFrom(Object.fromEntries(url.searchParams))),
  ]);
  const current = requested && (requested.active || !active) ? requested : active;
  return json({ current, activeId: active?.id ?? null, history });
}

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, { route: 'admin-sync', ...runGate, limit: 'sync' });
  const ctx = args.context.app;
  const form = await readRequestForm(args.request);
  const values: SyncFormValues = {
    mode: String(form.get('mode') ?? ''),
    dryRun: form.get('dryRun') !== null,
    branchCodes: String(form.get('branchCodes') ?? ''),
  };
  const input = { mode: values.mode, dryRun: values.dryRun, branchCodes: values.branchCodes };
  const result = await requestSync(ctx, { userId: staff.user.id, scope: staff.scope, userAgent: args.request.headers.get('user-agent') }, input);
  if (result.ok)
    return redirectWithFlash(ctx, `/admin/sync?requested=${result.syncJobId}`, `Sync #${result.syncJobId} requested${values.dryRun ? ' (dry run)' : ''}.`);
  if (result.code === 'INVALID') return formFailure(replyOf({ values: valuesOf(form), fieldErrors: result.fieldErrors }));
  // 409: another sync is waiting or running; the reply names it (the newer state).
  return conflictWith(valuesOf(form), { activeSyncJobId: result.activeSyncJobId }, result.message);
}

export default function SyncScreen() {
  const { current, activeId, history } = useLoaderData<typeof loader>();
  const reply = replyFor(useActionData<typeof action>());
  const location = useLocation();
  const values: SyncFormValues = reply
    ? { mode: valueOf(reply, 'mode') ?? '', dryRun: valueOf(reply, 'dryRun') !== undefined, branchCodes: valueOf(reply, 'branchCodes') ?? '' }
    : { mode: 'incremental', dryRun: false, branchCodes: '' };
  return (
    <>
      <h1>Snowflake sync</h1>
      <p className="muted">
        The service reads the client view from Snowflake and updates the clients. Syncs run one at a time; the daily sync runs by schedule (see{' '}
        <a href="/admin/jobs">Jobs</a>).
      </p>
      {current ? <LiveSyncProgress key={current.id} initial={current} refreshHref={location.pathname + location.search} /> : null}
      <SyncForm
        values={values}
        errors={reply ? { ...reply.fieldErrors, ...(reply.formError ? { form: reply.formError } : {}) } : {}}
        disabled={activeId !== null ? `Sync #${activeId} is waiting or running: a new one can start when it has finished.` : null}
      />
      <section className="card">
        <h2>History</h2>
        <SyncHistoryTable rows={history.rows} />
        <Pager page={history.page} pages={history.pages} total={history.total} noun="syncs" />
      </section>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../ui/general-error-boundary';
