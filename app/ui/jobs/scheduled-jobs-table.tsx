import { Form } from '@remix-run/react';
import { formatDateTime } from '../format';
import { runDuration } from './durations';

export interface RunView {
  id: number;
  trigger: string;
  status: string;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  jobQueueId: number | null;
  triggeredByName: string | null;
  live: boolean;
}
export interface ScheduleRow {
  id: number;
  code: string;
  name: string;
  queue: string;
  cron: string;
  timezone: string;
  isEnabled: boolean;
  nextRunAt: string | null;
  cronReadable: boolean;
  lastRun: RunView | null;
  recentRuns: RunView[];
}

function ScheduleButton({ intent, id, label, name, secondary }: { intent: string; id: number; label: string; name: string; secondary?: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="scheduleId" value={id} />
      <button type="submit" className={secondary ? 'secondary' : undefined} aria-label={`${label}: ${name}`}>
        {label}
      </button>
    </Form>
  );
}

function RunSummary({ run }: { run: RunView }) {
  return (
    <>
      <span className={`badge ${run.status === 'done' ? 'DONE' : run.live ? 'PENDING' : ''}`}>{run.status}</span>{' '}
      {formatDateTime(run.startedAt ?? run.createdAt)} · {runDuration(run.durationMs)}
      <span className="muted"> · {run.trigger === 'manual' ? `run now by ${run.triggeredByName ?? 'an admin'}` : 'schedule'}</span>
      {run.error ? (
        <div className="error" data-testid="schedule-run-error">
          {run.error.slice(0, 300)}
        </div>
      ) : null}
    </>
  );
}

/** Every schedule: cron (Asia/Manila), next run, last run's result, recent runs; enable/disable and Run now. */
export function ScheduledJobsTable({ rows, canAct }: { rows: ScheduleRow[]; canAct: boolean }) {
  if (!rows.length) return <p className="muted">No scheduled job.</p>;
  return (
    <table className="responsive" data-testid="schedules-table">
      <thead>
        <tr>
          <th>Schedule</th>
          <th>Cron</th>
          <th>Next run</th>
          <th>Last run</th>
          {canAct ? <th>Actions</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((s) => (
          <tr key={s.id} data-testid="schedule-row" data-code={s.code}>
            {/* One <div> per cell: at 360 px the cells are flex rows (table.responsive). */}
            <td data-label="Schedule">
              <div>
                <strong>{s.name}</strong>
                <div className="muted">
                  {s.code} · queue {s.queue}
                </div>
                <div data-testid="schedule-state">{s.isEnabled ? 'Enabled' : 'Disabled'}</div>
              </div>
            </td>
            <td data-label="Cron">
              <div>
                <code>{s.cron}</code> <span className="muted">{s.timezone}</span>
                {s.cronReadable ? null : <div className="error">The cron cannot be read.</div>}
              </div>
            </td>
            <td data-label="Next run" data-testid="schedule-next">
              {s.isEnabled ? formatDateTime(s.nextRunAt) : '— (disabled)'}
            </td>
            <td data-label="Last run" data-testid="schedule-last">
              <div>
                {s.lastRun ? <RunSummary run={s.lastRun} /> : <span className="muted">Never ran</span>}
                {s.recentRuns.length > 1 ? (
                  <details>
                    <summary>Earlier runs</summary>
                    <ol className="history">
                      {s.recentRuns.slice(1).map((r) => (
                        <li key={r.id}>
                          <RunSummary run={r} />
                        </li>
                      ))}
                    </ol>
                  </details>
                ) : null}
              </div>
            </td>
            {canAct ? (
              <td data-label="Actions">
                <div className="actions">
                  <ScheduleButton intent="run-now" id={s.id} label="Run now" name={s.name} />
                  {s.isEnabled ? (
                    <ScheduleButton intent="disable" id={s.id} label="Disable" name={s.name} secondary />
                  ) : (
                    <ScheduleButton intent="enable" id={s.id} label="Enable" name={s.name} />
                  )}
                </div>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
