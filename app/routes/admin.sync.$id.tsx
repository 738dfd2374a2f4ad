import { json, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Link, useLoaderData, useLocation, type MetaFunction } from '@remix-run/react';
import { syncJobDetail } from '../core/jobs/sync-requests.server';
import { clampInt } from '../core/paging/paging';
import { formatDateTime } from '../ui/format';
import { ReportTable } from '../ui/jobs/report-table';
import { LiveSyncProgress } from '../ui/jobs/sync-progress';
import { notFound } from '../web/http-errors.server';
import { requireStaff } from '../web/require-staff.server';
import { idParam } from '../web/route-id.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Sync #${data?.sync.id ?? ''} · Client Updater` }];

export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, { route: 'admin-sync-detail', permission: 'sync:read', everyCompany: true, limit: 'read' });
  const ctx = args.context.app;
  const id = idParam(args.params.id);
  const url = new URL(args.request.url);
  const detail =
    id === null
      ? null
      : await syncJobDetail(ctx, id, {
          rejectedPage: clampInt(url.searchParams.get('rejectedPage'), 1, 1, 1_000_000),
          changesPage: clampInt(url.searchParams.get('changesPage'), 1, 1, 1_000_000),
        });
  if (!detail) notFound();
  return json(detail);
}

function ReportPager({ name, page, pages, total }: { name: string; page: number; pages: number; total: number }) {
  const location = useLocation();
  if (pages <= 1) return null;
  const href = (p: number) => {
    const params = new URLSearchParams(location.search);
    params.set(name, String(p));
    return `${location.pathname}?${params}`;
  };
  return (
    <nav className="pager" aria-label={`${name} pages`}>
      {page > 1 ? <Link to={href(page - 1)}>← Previous</Link> : <span className="muted">← Previous</span>}
      <span>
        Page {page} of {pages} · {total.toLocaleString('en-PH')} rows
      </span>
      {page < pages ? <Link to={href(page + 1)}>Next →</Link> : <span className="muted">Next →</span>}
    </nav>
  );
}

export default function SyncDetail() {
  const { sync, progress, rejected, changes, notes } = useLoaderData<typeof loader>();
  const n = (v: number) => v.toLocaleString('en-PH');
  const location = useLocation();
  return (
    <>
      <p>
        <Link to="/admin/sync">← Sync</Link>
      </p>
      <h1>Sync #{sync.id}</h1>
      <dl className="facts card">
        <dt>Requested</dt>
        <dd>
          {formatDateTime(sync.createdAt)} · {sync.trigger === 'schedule' ? 'by schedule' : `by ${sync.triggeredByName ?? 'an admin'}`}
        </dd>
        <dt>Source</dt>
        <dd>{sync.sourceView}</dd>
        <dt>Job</dt>
        <dd>
          {sync.jobQueueId ? <Link to={`/admin/jobs?queue=sync`}>#{sync.jobQueueId}</Link> : '—'}
          {sync.jobStatus ? ` · ${sync.jobStatus}, attempt ${sync.jobAttempts} of ${sync.jobMaxAttempts}` : ''}
        </dd>
      </dl>
      <LiveSyncProgress initial={progress} refreshHref={location.pathname + location.search} />
      {notes.complete !== null || notes.note || notes.deactivation ? (
        <dl className="facts card" data-testid="report-notes">
          {notes.complete !== null ? (
            <>
              <dt>Read completely</dt>
              <dd>
                {notes.complete ? 'Yes' : 'No (the run stopped early)'}
                {notes.totalRows !== null ? ` · ${n(notes.totalRows)} rows in the result` : ''}
              </dd>
            </>
          ) : null}
          {notes.note ? (
            <>
              <dt>Note</dt>
              <dd>{notes.note}</dd>
            </>
          ) : null}
          {notes.deactivation ? (
            <>
              <dt>Missing clients</dt>
              <dd>{notes.deactivation}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      <section className="card" id="rejected">
        <h2>Rejected rows ({n(Math.max(rejected.total, sync.rowsRejected))})</h2>
        <p className="muted">
          Rows the sync refused (unknown codes, bad values); nothing of them was stored.
          {sync.rowsRejected > rejected.total ? ` The report keeps the first ${n(rejected.total)}.` : ''}
        </p>
        <ReportTable items={rejected.items} testId="rejected-rows" empty="No row was rejected." />
        <ReportPager name="rejectedPage" page={rejected.page} pages={rejected.pages} total={rejected.total} />
      </section>
      <section className="card" id="changes">
        <h2>
          {sync.isDryRun ? 'Field changes it would make' : 'Field changes'} ({n(Math.max(changes.total, notes.changesTotal ?? 0))})
        </h2>
        <p className="muted">
          Changed fields of existing clients (new clients are counted above, not listed).
          {(notes.changesTotal ?? 0) > changes.total ? ` The report keeps the first ${n(changes.total)}.` : ''}
        </p>
        <ReportTable items={changes.items} testId="report-changes" empty="No change recorded in the report." />
        <ReportPager name="changesPage" page={changes.page} pages={changes.pages} total={changes.total} />
      </section>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../ui/general-error-boundary';
