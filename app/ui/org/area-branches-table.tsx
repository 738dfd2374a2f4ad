import { Link } from '@remix-run/react';
import { RowAction } from '../forms/admin-list';
import { ProgressCells, ProgressHeadings, type ProgressView } from './progress-cells';

export interface AreaBranchRow {
  branchId: number;
  code: string;
  name: string;
  isActive: boolean;
  isPrimary: boolean;
  progress: ProgressView;
}

/** The area's branches (primary or not) with each one's current-period progress; managers get row actions. */
export function AreaBranchesTable({ areaId, rows, canManage }: { areaId: number; rows: AreaBranchRow[]; canManage: boolean }) {
  if (!rows.length)
    return (
      <p className="muted" data-testid="no-branches">
        No branches assigned.
      </p>
    );
  const action = `/areas/${areaId}`;
  return (
    <table className="responsive" data-testid="area-branches">
      <thead>
        <tr>
          <th>Branch</th>
          <th>Area link</th>
          <ProgressHeadings />
          {canManage ? <th>Actions</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((b) => (
          <tr key={b.branchId} data-testid="area-branch-row" data-branch-code={b.code}>
            <td data-label="Branch">
              <Link to={`/branches/${b.branchId}`}>
                <code>{b.code}</code>
              </Link>{' '}
              {b.name}
              {b.isActive ? '' : ' (inactive)'}
            </td>
            <td data-label="Area link">{b.isPrimary ? 'Primary' : 'Secondary'}</td>
            <ProgressCells progress={b.progress} />
            {canManage ? (
              <td data-label="Actions">
                <div className="actions">
                  <RowAction
                    action={action}
                    intent="assign-branch"
                    rowId={b.branchId}
                    label={b.isPrimary ? 'Make secondary' : 'Make primary'}
                    pendingLabel="Saving…"
                    extra={{ branchId: String(b.branchId), ...(b.isPrimary ? {} : { isPrimary: 'on' }) }}
                  />
                  <RowAction
                    action={action}
                    intent="unassign-branch"
                    rowId={b.branchId}
                    label="Unassign"
                    pendingLabel="Unassigning…"
                    title={`Unassign ${b.code}`}
                  />
                </div>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
