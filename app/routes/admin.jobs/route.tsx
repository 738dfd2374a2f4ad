import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Link, useActionData, useLoaderData, type MetaFunction } from '@remix-run/react';
import { listJobs, parseJobListQuery } from '../../core/jobs/queue-admin.server';
import { QUEUES } from '../../core/jobs/queues';
import { listScheduledJobs } from '../../core/jobs/scheduled-jobs-admin.server';
import { JobFilters, JobQueueTable } from '../../ui/jobs/job-queue-table';
import { ScheduledJobsTable } from '../../ui/jobs/scheduled-jobs-table';
import { Pager } from '../../ui/pager';
import { replyFor } from '../../core/forms/form-reply';
import { requireStaff } from '../../web/require-staff.server';
import { handleAction } from './actions.server';

export const meta: MetaFunction = () => [{ title: 'Jobs · Client Updater' }];

// The queue and the schedules carry every company's work: sync:read / sync:execute at scope 'all'
// in EVERY company, like /admin/periods (decision 065). Running one: actions.server.ts.
const readGate = { permission: 'sync:read', everyCompany: true } as const;

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { route: 'admin-jobs', ...readGate, limit: 'read' });
  const ctx = args.context.app;
  const url = new URL(args.request.url);
  const params = Object.fromEntries(url.searchParams);
  const parsed = parseJobListQuery(url.searchParams);
  // The schedules and the queue's page are read together: at the edge each read is a round trip (decision 103).
  const [canAct, schedules, jobs] = await Promise.all([
    staff.access.coversEveryCompany('sync:execute'),
    listScheduledJobs(ctx),
    parsed.ok ? listJobs(ctx, parsed.query) : null,
  ]);
  if (!parsed.ok) return json({ error: parsed.message, params, jobs: null, schedules, canAct }, { status: 400 });
  return json({ error: null, params, jobs, schedules, canAct });
}

export async function action(args: ActionFunctionArgs) {
  return handleAction(args);
}

export default function JobsScreen() {
  const { error, params, jobs, schedules, canAct } = useLoaderData<typeof loader>();
  const reply = replyFor(useActionData<typeof action>());
  return (
    <>
      <h1>Jobs</h1>
      <p className="muted">
        The work the service runs for the app. Snowflake syncs have their own screen: <Link to="/admin/sync">Sync</Link>.
      </p>
      {reply?.formError ? (
        <p className="banner error" role="alert" data-testid="action-error">
          {reply.formError}
        </p>
      ) : null}
      <section className="card">
        <h2>Scheduled jobs</h2>
        <ScheduledJobsTable rows={schedules} canAct={canAct} />
      </section>
      <section className="card">
        <h2>Queue</h2>
        <JobFilters queues={QUEUES} counts={jobs?.counts ?? {}} status={params.status} queue={params.queue} />
        {error ? (
          <p className="banner error" role="alert" data-testid="filter-error">
            {error}
          </p>
        ) : null}
        {jobs ? (
          <>
            <JobQueueTable rows={jobs.rows} canAct={canAct} />
            <Pager page={jobs.page} pages={jobs.pages} total={jobs.total} noun="jobs" />
          </>
        ) : null}
      </section>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../../ui/general-error-boundary';
