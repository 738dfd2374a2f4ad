import { Link } from '@remix-run/react';
import { Fragment } from 'react';
import { formatDateTime } from '../../format';
import { ApprovalTrail, type ApprovalTrailView } from '../approval-trail';

type Values = Record<string, unknown> | null;
export type AuditRow = {
  id: number;
  tableName: string;
  recordId: number;
  action: string;
  oldValues: unknown;
  newValues: unknown;
  userId: number | null;
  userEmail: string | null;
  ip: string | null;
  requestId: string | null;
  createdAt: string;
  /** Maker, checker, both times and the outcome of a change applied through an approval (decision 101). */
  approval?: ApprovalTrailView;
};

const show = (v: unknown) => (v === undefined ? '' : v === null ? '∅' : typeof v === 'string' ? v : JSON.stringify(v));

/** Old → new of the fields the audit row kept (only the changed ones; all of them on create/delete). */
export function AuditDiff({ oldValues, newValues }: { oldValues: Values; newValues: Values }) {
  const keys = [...new Set([...Object.keys(oldValues ?? {}), ...Object.keys(newValues ?? {})])];
  if (!keys.length) return <span className="muted">—</span>;
  return (
    <dl className="facts diff" data-testid="audit-diff">
      {keys.map((k) => (
        <Fragment key={k}>
          <dt>{k}</dt>
          <dd data-field={k}>
            {oldValues ? <del data-testid="old">{show(oldValues[k])}</del> : null}
            {oldValues && newValues ? ' → ' : null}
            {newValues ? <ins data-testid="new">{show(newValues[k])}</ins> : null}
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

/** The audit rows as a table; `configSlugs` maps table names to their config screen for a link. */
export function AuditEntries({ rows, configSlugs = {} }: { rows: AuditRow[]; configSlugs?: Record<string, string> }) {
  if (!rows.length)
    return (
      <p className="muted" data-testid="audit-empty">
        No changes recorded.
      </p>
    );
  const approvals = rows.some((r) => r.approval !== undefined);
  return (
    <table className="responsive" data-testid="audit-table">
      <thead>
        <tr>
          <th>When</th>
          <th>Who</th>
          <th>Table</th>
          <th>Record</th>
          <th>Action</th>
          <th>Changes (old → new)</th>
          <th>IP · request</th>
          {approvals ? <th>Approval</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} data-testid="audit-row">
            <td data-label="When">{formatDateTime(r.createdAt)}</td>
            <td data-label="Who">{r.userEmail ?? (r.userId ? `#${r.userId}` : '—')}</td>
            <td data-label="Table">
              <code>{r.tableName}</code>
            </td>
            <td data-label="Record">
              {configSlugs[r.tableName] ? <Link to={`/admin/config/${configSlugs[r.tableName]}/${r.recordId}`}>#{r.recordId}</Link> : `#${r.recordId}`}
            </td>
            <td data-label="Action" data-testid="audit-action">
              {r.action}
            </td>
            <td data-label="Changes">
              <AuditDiff oldValues={r.oldValues as Values} newValues={r.newValues as Values} />
            </td>
            <td data-label="IP · request" className="muted">
              {r.ip ?? '—'}
              <br />
              <code>{r.requestId ?? '—'}</code>
            </td>
            {approvals ? (
              <td data-label="Approval">
                <ApprovalTrail trail={r.approval} />
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
