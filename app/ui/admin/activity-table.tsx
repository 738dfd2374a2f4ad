import { formatDateTime } from '../format';
import { ApprovalTrail, type ApprovalTrailView } from './approval-trail';

type Entry = {
  id: number;
  action: string;
  userId: number | null;
  userEmail?: string | null;
  resourceType: string | null;
  resourceId: string | null;
  ip: string | null;
  createdAt: string;
  details: unknown;
  /** Maker, checker, both times and the outcome, where the row is tied to an approval request (decision 101). */
  approval?: ApprovalTrailView;
};

/** Activity rows with their details (old → new values for admin changes). */
export function ActivityTable({ entries }: { entries: Entry[] }) {
  if (entries.length === 0) return <p className="muted">No activity.</p>;
  const approvals = entries.some((e) => e.approval !== undefined);
  return (
    <table className="responsive">
      <thead>
        <tr>
          <th>When</th>
          <th>Action</th>
          <th>By</th>
          <th>Target</th>
          <th>IP</th>
          <th>Details</th>
          {approvals ? <th>Approval</th> : null}
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.id} data-testid="activity-row">
            <td data-label="When">{formatDateTime(e.createdAt)}</td>
            <td data-label="Action">
              <code>{e.action}</code>
            </td>
            <td data-label="By">{e.userEmail ?? (e.userId ? `#${e.userId}` : '—')}</td>
            <td data-label="Target">{e.resourceType ? `${e.resourceType} ${e.resourceId ?? ''}` : '—'}</td>
            <td data-label="IP">{e.ip ?? '—'}</td>
            <td data-label="Details" className="details">
              {e.details ? <code>{JSON.stringify(e.details)}</code> : null}
            </td>
            {approvals ? (
              <td data-label="Approval">
                <ApprovalTrail trail={e.approval} />
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
