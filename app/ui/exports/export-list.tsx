import { useRevalidator } from '@remix-run/react';
import { useEffect } from 'react';
import { EXPORT_LABELS, type ExportFormat, type ExportKind } from '../../core/exports/export-kinds';
import { formatDateTime } from '../format';
import { ProgressBar } from '../jobs/sync-progress';

/** What the list shows of one export (app/core/exports/my-exports.server.ts, as JSON). */
export interface ExportListItem {
  id: number;
  kind: ExportKind;
  format: ExportFormat;
  state: string;
  rowsDone: number;
  rowsTotal: number | null;
  percent: number | null;
  sizeBytes: number | null;
  error: string | null;
  filters: Record<string, unknown>;
  createdAt: string;
  fileExpiresAt: string | null;
}

export const EXPORT_POLL_MS = 2000;
const STATE_TEXT: Record<string, string> = {
  pending: 'Waiting for the service',
  running: 'Running',
  retrying: 'Failed, will retry',
  ready: 'Ready',
  expired: 'File deleted',
  failed: 'Failed',
  cancelled: 'Cancelled',
};
const n = (v: number) => v.toLocaleString('en-PH');

export function fileSize(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function filterText(filters: Record<string, unknown>): string {
  const parts = Object.entries(filters).map(([k, v]) => `${k}=${String(v)}`);
  return parts.length ? parts.join(', ') : 'no filters';
}

/**
 * The user's exports. While one is waiting or running: with JavaScript the page revalidates every 2 s
 * (useRevalidator); without it a <noscript> meta refresh reloads the page every 3 s.
 */
export function ExportList({ items, active }: { items: ExportListItem[]; active: boolean }) {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') revalidator.revalidate();
    }, EXPORT_POLL_MS);
    return () => clearInterval(timer);
  }, [active, revalidator]);
  if (items.length === 0) return <p className="muted">You have not asked for any export yet.</p>;
  return (
    <>
      {active ? (
        <noscript>
          <meta httpEquiv="refresh" content="3" />
        </noscript>
      ) : null}
      <table className="responsive" data-testid="export-list">
        <thead>
          <tr>
            <th>#</th>
            <th>Export</th>
            <th>State</th>
            <th>Progress</th>
            <th>Rows</th>
            <th>Size</th>
            <th>Asked</th>
            <th>File</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id} data-testid="export-row" data-export-id={e.id} data-state={e.state}>
              <td data-label="#">{e.id}</td>
              <td data-label="Export">
                {EXPORT_LABELS[e.kind]} · {e.format.toUpperCase()}
                <br />
                <span className="muted">{filterText(e.filters)}</span>
              </td>
              <td data-label="State">
                <span className={`badge ${e.state === 'ready' ? 'DONE' : e.state === 'failed' ? 'error' : 'PENDING'}`} data-testid="export-state">
                  {STATE_TEXT[e.state] ?? e.state}
                </span>
                {e.error ? (
                  <p className="error" role="alert" data-testid="export-error">
                    {e.error}
                  </p>
                ) : null}
              </td>
              <td data-label="Progress">
                <ProgressBar percent={e.percent} label={`Export ${e.id} progress`} />
                <span data-testid="export-percent">{e.percent === null ? '' : `${e.percent}%`}</span>
              </td>
              <td data-label="Rows" data-testid="export-rows">
                {e.rowsTotal === null ? n(e.rowsDone) : `${n(e.rowsDone)} of ${n(e.rowsTotal)}`}
              </td>
              <td data-label="Size">{fileSize(e.sizeBytes)}</td>
              <td data-label="Asked">{formatDateTime(e.createdAt)}</td>
              <td data-label="File">
                {e.state === 'ready' ? (
                  <a href={`/reports/exports/${e.id}/download`} data-testid="export-download" download>
                    Download
                  </a>
                ) : e.state === 'expired' ? (
                  <span className="muted">Deleted after 24 hours</span>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
