import { Form, Link, useLocation } from '@remix-run/react';
import { formatDateTime } from '../format';

export interface JobRow {
  id: number;
  queue: string;
  status: string;
  priority: number;
  attempts: number;
  maxAttempts: number;
  scheduledAt: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  lastError: string | null;
  progress: { done?: number; total?: number; message?: string } | null;
  summary: string;
  /** The trace that queued it (decision 094), followed on /admin/activity?trace=…. */
  traceId: string | null;
  canRetry: boolean;
  canCancel: boolean;
}

const STATUS_TABS = ['pending', 'running', 'failed', 'dead', 'done', 'cancelled'] as const;

/** Status tabs with their counts and a queue filter; both are plain links and a GET form. */
export function JobFilters({ queues, counts, status, queue }: { queues: readonly string[]; counts: Record<string, number>; status?: string; queue?: string }) {
  const location = useLocation();
  const hrefFor = (s: string | null) => {
    const params = new URLSearchParams(location.search);
    params.delete('page');
    if (s) params.set('status', s);
    else params.delete('status');
    return `${location.pathname}?${params}`;
  };
  return (
    <>
      {/* Inline links (not .segments): seven of them must wrap at 360 px. */}
      <nav aria-label="Job status" data-testid="job-status-tabs">
        <p>
          <Link to={hrefFor(null)} aria-current={!status ? 'page' : undefined}>
            {!status ? <strong>All</strong> : 'All'}
          </Link>
          {STATUS_TABS.map((s) => (
            <span key={s}>
              {' · '}
              <Link to={hrefFor(s)} aria-current={status === s ? 'page' : undefined} data-testid={`job-tab-${s}`}>
                {status === s ? <strong>{s}</strong> : s} ({(counts[s] ?? 0).toLocaleString('en-PH')})
              </Link>
            </span>
          ))}
        </p>
      </nav>
      <Form method="get" className="filters" role="search">
        {status ? <input type="hidden" name="status" value={status} /> : null}
        <div>
          <label htmlFor="jobs-queue">Queue</label>
          <select id="jobs-queue" name="queue" defaultValue={queue ?? ''}>
            <option value="">All</option>
            {queues.map((q) => (
              <option key={q} value={q}>
                {q}
              </option>
            ))}
          </select>
        </div>
        <div>
          <button type="submit">Filter</button>
        </div>
      </Form>
    </>
  );
}

function ActionButton({ intent, jobId, label, secondary }: { intent: string; jobId: number; label: string; secondary?: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="jobId" value={jobId} />
      <button type="submit" className={secondary ? 'secondary' : undefined} aria-label={`${label} job ${jobId}`}>
        {label}
      </button>
    </Form>
  );
}

/** The queue's jobs with attempts, times and the last error; Retry (failed, dead) and Cancel (pending, failed, running). */
export function JobQueueTable({ rows, canAct }: { rows: JobRow[]; canAct: boolean }) {
  if (!rows.length)
    return (
      <p className="muted" data-testid="jobs-empty">
        No job matches.
      </p>
    );
  return (
    <table className="responsive" data-testid="jobs-table">
      <thead>
        <tr>
          <th>Job</th>
          <th>Status</th>
          <th>Attempts</th>
          <th>Times</th>
          <th>Last error</th>
          {canAct ? <th>Actions</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((j) => (
          <tr key={j.id} data-testid="job-row" data-job-id={j.id} data-status={j.status}>
            {/* One <div> per cell: at 360 px the cells are flex rows (table.responsive). */}
            <td data-label="Job">
              <div>
                #{j.id} <strong>{j.queue}</strong>
                {j.priority ? <span className="muted"> · priority {j.priority}</span> : null}
                {j.traceId ? (
                  <>
                    {' · '}
                    <Link to={`/admin/activity?trace=${j.traceId}`} data-testid="job-trace" title={j.traceId}>
                      trace {j.traceId.slice(0, 8)}
                    </Link>
                  </>
                ) : null}
                {j.summary ? (
                  <div className="muted">
                    <code>{j.summary}</code>
                  </div>
                ) : null}
              </div>
            </td>
            <td data-label="Status">
              <div>
                <span className="badge" data-testid="job-status">
                  {j.status}
                </span>
                {j.progress && typeof j.progress.done === 'number' ? (
                  <div className="muted">
                    {j.progress.done}
                    {typeof j.progress.total === 'number' ? ` / ${j.progress.total}` : ''}
                    {j.progress.message ? ` · ${j.progress.message}` : ''}
                  </div>
                ) : null}
              </div>
            </td>
            <td data-label="Attempts">
              {j.attempts} of {j.maxAttempts}
            </td>
            <td data-label="Times">
              <div>
                <div>created {formatDateTime(j.createdAt)}</div>
                {j.status === 'pending' || j.status === 'failed' ? <div className="muted">due {formatDateTime(j.scheduledAt)}</div> : null}
                {j.finishedAt ? <div className="muted">finished {formatDateTime(j.finishedAt)}</div> : null}
              </div>
            </td>
            <td data-label="Last error" className="details">
              {j.lastError ? <code data-testid="job-error">{j.lastError.slice(0, 500)}</code> : '—'}
            </td>
            {canAct ? (
              <td data-label="Actions">
                <div className="actions">
                  {j.canRetry ? <ActionButton intent="retry" jobId={j.id} label="Retry" /> : null}
                  {j.canCancel ? <ActionButton intent="cancel" jobId={j.id} label="Cancel" secondary /> : null}
                </div>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
