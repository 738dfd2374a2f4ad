import { Link } from '@remix-run/react';
import { formatDateTime } from '../format';
import { StatusBadge } from '../status-badge';
import { QuickStatusForm } from './quick-status-form';

type Row = {
  clientId: number;
  clientCode: string;
  fullName: string;
  branchCode: string;
  statusTypeId: number;
  statusCode: string;
  statusName: string;
  reasonName: string | null;
  remarks: string | null;
  hasPayment: boolean;
  isTerminal: boolean;
  version: number;
  lastUpdatedAt: string | null;
  branchId: number;
};

/** The period's clients; with status:update each row has a checkbox for bulk and its own quick form. */
export function WorkspaceTable(props: {
  rows: Row[];
  periodKey: string;
  canUpdate: boolean;
  returnTo: string;
  updateBranches: number[] | 'all' | null;
  statuses: Array<{ id: number; code: string; name: string }>;
  reasons: Array<{ id: number; name: string; statusTypeId: number; isTerminal: boolean; requiresRemarks: boolean }>;
}) {
  if (props.rows.length === 0) return <p className="muted">No clients match.</p>;
  return (
    <table className="responsive">
      <thead>
        <tr>
          {props.canUpdate ? (
            <th>
              <span className="sr-only">Select</span>
            </th>
          ) : null}
          <th>Client</th>
          <th>Branch</th>
          <th>Status</th>
          <th>Payment</th>
          <th>Updated</th>
          {props.canUpdate ? <th>Record</th> : null}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => {
          const editable = props.updateBranches === 'all' || Boolean(props.updateBranches?.includes(r.branchId));
          return (
            <tr key={r.clientId} data-testid="workspace-row">
              {props.canUpdate ? (
                <td data-label="Select">
                  {editable ? (
                    <>
                      <input type="checkbox" name="clientIds" value={r.clientId} form="bulk-form" aria-label={`Select ${r.fullName}`} />
                      <input type="hidden" name={`v${r.clientId}`} value={r.version} form="bulk-form" />
                    </>
                  ) : null}
                </td>
              ) : null}
              <td data-label="Client">
                <Link to={`/clients/${r.clientId}`}>{r.clientCode}</Link>
                <div>{r.fullName}</div>
              </td>
              <td data-label="Branch">{r.branchCode}</td>
              <td data-label="Status" data-testid="row-status">
                <StatusBadge code={r.statusCode} name={r.statusName} />
                {r.isTerminal ? ' terminal' : ''}
                {r.reasonName ? <div className="muted">{r.reasonName}</div> : null}
              </td>
              <td data-label="Payment">{r.hasPayment ? 'Yes' : 'No'}</td>
              <td data-label="Updated">{formatDateTime(r.lastUpdatedAt)}</td>
              {props.canUpdate ? (
                <td data-label="Record">
                  {editable ? (
                    <QuickStatusForm
                      clientId={r.clientId}
                      version={r.version}
                      periodKey={props.periodKey}
                      statusTypeId={r.statusTypeId}
                      hasPayment={r.hasPayment}
                      statuses={props.statuses}
                      reasons={props.reasons}
                      returnTo={props.returnTo}
                    />
                  ) : (
                    <span className="muted">Read only</span>
                  )}
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
