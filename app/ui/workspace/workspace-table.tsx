import { useEffect, useState } from 'react';
import { formatDateTime } from '../format';
import { StatusBadge } from '../status-badge';
import { QuickStatusForm } from './quick-status-form';
import { RecordToggle, withEditing } from './record-toggle';
import { useRowLinks } from './use-row-links';

type Row = {
  clientId: number;
  clientCode: string;
  fullName: string;
  branchCode: string;
  statusTypeId: number;
  statusCode: string;
  statusName: string;
  reasonName: string | null;
  hasPayment: boolean;
  isTerminal: boolean;
  version: number;
  lastUpdatedAt: string | null;
  branchId: number;
};

/**
 * The period's clients; with status:update each row has a checkbox for bulk and a "Record" control
 * that opens its quick form, one row at a time (decision 086: a 100-row page hydrates ~10 nodes a row,
 * not ~45). `editing` is the row opened by the address (`edit=`, no JavaScript) or by a refused save.
 */
export function WorkspaceTable(props: {
  rows: Row[];
  periodKey: string;
  canUpdate: boolean;
  returnTo: string;
  editing: number | null;
  updateBranches: number[] | 'all' | null;
  statuses: Array<{ id: number; code: string; name: string }>;
  reasons: Array<{ id: number; name: string; statusTypeId: number; isTerminal: boolean; requiresRemarks: boolean }>;
}) {
  const [open, setOpen] = useState<{ clientId: number | null; byClick: boolean }>({ clientId: props.editing, byClick: false });
  // New rows (after a save, a filter, a page) close the form, unless the address or a refused save names a row.
  useEffect(() => setOpen({ clientId: props.editing, byClick: false }), [props.rows, props.editing]);
  const onClick = useRowLinks((clientId) => setOpen({ clientId, byClick: true }));
  if (props.rows.length === 0) return <p className="muted">No clients match.</p>;
  // A save returns to the list without `edit`, so the form closes after it.
  const back = withEditing(props.returnTo, null);
  return (
    // One delegated handler for the rows' links (Enter on a focused link is a click too).
    <table className="responsive" onClick={onClick}>
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
                <a href={`/clients/${r.clientId}`} data-row-link>
                  {r.clientCode}
                </a>
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
                  {editable && open.clientId === r.clientId ? (
                    <QuickStatusForm
                      clientId={r.clientId}
                      version={r.version}
                      periodKey={props.periodKey}
                      statusTypeId={r.statusTypeId}
                      hasPayment={r.hasPayment}
                      statuses={props.statuses}
                      reasons={props.reasons}
                      returnTo={back}
                      autoFocus={open.byClick}
                    />
                  ) : editable ? (
                    <RecordToggle clientId={r.clientId} clientName={r.fullName} href={withEditing(props.returnTo, r.clientId)} />
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
