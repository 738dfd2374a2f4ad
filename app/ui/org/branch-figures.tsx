import type { FieldSpec } from '../../core/config/form-fields';
import { AdminForm } from '../forms/admin-form';
import { RowAction } from '../forms/admin-list';

const n = (v: number) => v.toLocaleString('en-PH');

/** Active clients of the branch: a row per product, a column per PAR status. */
export function ClientCountTable({ counts }: { counts: { pars: string[]; rows: Array<{ product: string; counts: number[]; total: number }>; total: number } }) {
  if (!counts.total) return <p className="muted">No active clients.</p>;
  return (
    <table className="responsive" data-testid="client-counts">
      <thead>
        <tr>
          <th>Product</th>
          {counts.pars.map((p) => (
            <th key={p} className="num">
              {p}
            </th>
          ))}
          <th className="num">Total</th>
        </tr>
      </thead>
      <tbody>
        {counts.rows.map((r) => (
          <tr key={r.product}>
            <td data-label="Product">{r.product}</td>
            {r.counts.map((c, i) => (
              <td key={counts.pars[i]} data-label={counts.pars[i]} className="num">
                {n(c)}
              </td>
            ))}
            <td data-label="Total" className="num">
              {n(r.total)}
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th>All products</th>
          <td colSpan={counts.pars.length} />
          <td className="num" data-testid="client-total">
            {n(counts.total)}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}

/** This period's rows per agent: how many each updated last and how many of those are done. */
export function AgentProgressTable({ agents }: { agents: Array<{ userId: number | null; name: string; updated: number; done: number; donePct: number }> }) {
  if (!agents.length) return <p className="muted">No clients in the current period.</p>;
  return (
    <table className="responsive" data-testid="agent-progress">
      <thead>
        <tr>
          <th>Agent</th>
          <th className="num">Clients updated last</th>
          <th className="num">Of them done</th>
        </tr>
      </thead>
      <tbody>
        {agents.map((a) => (
          <tr key={a.userId ?? 'none'}>
            <td data-label="Agent">{a.userId === null ? <span className="muted">{a.name}</span> : a.name}</td>
            <td data-label="Clients updated last" className="num">
              {n(a.updated)}
            </td>
            <td data-label="Of them done" className="num">
              {a.userId === null ? '—' : `${n(a.done)} (${a.donePct.toFixed(1)}%)`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Users assigned to the branch (user_branches); admins who manage them unassign or add. */
export function BranchUsers({
  branchId,
  users,
  fields,
  reply,
  canUnassign,
}: {
  branchId: number;
  users: Array<{ id: number; name: string; email: string; isActive: boolean }>;
  fields: FieldSpec[] | null;
  reply: unknown;
  canUnassign: number[];
}) {
  return (
    <section className="card" data-testid="branch-users">
      <h2>Assigned users</h2>
      {users.length === 0 ? (
        <p className="muted">No users assigned directly (area assignments are on the area's page).</p>
      ) : (
        <ul>
          {users.map((u) => (
            <li key={u.id} data-testid="branch-user">
              {u.name}{' '}
              <span className="muted">
                {u.email}
                {u.isActive ? '' : ' · inactive'}
              </span>
              {canUnassign.includes(u.id) ? (
                <RowAction
                  action={`/branches/${branchId}`}
                  intent="unassign-user"
                  rowId={u.id}
                  label="Unassign"
                  pendingLabel="Unassigning…"
                  title={`Unassign ${u.name}`}
                />
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {fields ? (
        <AdminForm
          fields={fields}
          reply={reply}
          intent="assign-user"
          submitLabel="Assign user"
          pendingLabel="Assigning…"
          testId="assign-user"
          idPrefix="assign-user"
        />
      ) : null}
    </section>
  );
}
