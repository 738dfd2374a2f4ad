import { Link } from '@remix-run/react';
import { formatDateTime } from '../format';

export interface SyncHistoryRow {
  id: number;
  mode: string;
  isDryRun: boolean;
  status: string;
  trigger: string;
  triggeredByName: string | null;
  rowsRead: number;
  rowsInserted: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  rowsRejected: number;
  rowsDeactivated: number;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

const n = (v: number) => v.toLocaleString('en-PH');

/** Sync jobs, newest first, with their counters; each links to its report. */
export function SyncHistoryTable({ rows }: { rows: SyncHistoryRow[] }) {
  if (!rows.length)
    return (
      <p className="muted" data-testid="sync-history-empty">
        No sync has run yet.
      </p>
    );
  return (
    <table className="responsive" data-testid="sync-history">
      <thead>
        <tr>
          <th>Sync</th>
          <th>Status</th>
          <th>Requested</th>
          <th className="num">Read</th>
          <th className="num">Created</th>
          <th className="num">Updated</th>
          <th className="num">Unchanged</th>
          <th className="num">Rejected</th>
          <th className="num">Deactivated</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} data-testid="sync-row">
            <td data-label="Sync">
              <Link to={`/admin/sync/${r.id}`}>
                #{r.id} {r.mode}
                {r.isDryRun ? ' (dry run)' : ''}
              </Link>
            </td>
            <td data-label="Status">
              <div>
                <span
                  className={`badge ${r.status === 'done' ? 'DONE' : r.status === 'pending' || r.status === 'running' ? 'PENDING' : ''}`}
                  data-testid="sync-row-status"
                >
                  {r.status}
                </span>
                {r.error ? <div className="error">{r.error.slice(0, 160)}</div> : null}
              </div>
            </td>
            <td data-label="Requested">
              <div>
                {formatDateTime(r.createdAt)}
                <div className="muted">{r.trigger === 'schedule' ? 'schedule' : (r.triggeredByName ?? 'manual')}</div>
              </div>
            </td>
            <td data-label="Read" className="num">
              {n(r.rowsRead)}
            </td>
            <td data-label="Created" className="num">
              {n(r.rowsInserted)}
            </td>
            <td data-label="Updated" className="num">
              {n(r.rowsUpdated)}
            </td>
            <td data-label="Unchanged" className="num">
              {n(r.rowsUnchanged)}
            </td>
            <td data-label="Rejected" className="num">
              {r.rowsRejected ? <Link to={`/admin/sync/${r.id}#rejected`}>{n(r.rowsRejected)}</Link> : '0'}
            </td>
            <td data-label="Deactivated" className="num">
              {n(r.rowsDeactivated)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
