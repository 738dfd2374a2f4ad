import { Form } from '@remix-run/react';
import { CHECKED_ACTIONS, type CheckedAction } from '../../core/approvals/checked-actions';
import { formatDateTime } from '../format';

type Pending = {
  id: number;
  action: string;
  remark: string;
  makerName: string;
  createdAt: string;
  expiresAt: string;
  diff: Array<{ field: string; old: string; new: string }>;
  mine: boolean;
};

/** Changes of this user that wait for approval (decision 101); the maker may withdraw theirs. */
export function PendingRequests({ requests }: { requests: Pending[] }) {
  if (!requests.length) return null;
  return (
    <section className="card" data-testid="pending-requests">
      <h2>Waiting for approval</h2>
      <ul>
        {requests.map((r) => (
          <li key={r.id} data-testid="pending-request" data-request-id={r.id}>
            <strong>
              Waiting for approval (request {r.id}): {CHECKED_ACTIONS[r.action as CheckedAction]?.label ?? r.action}
            </strong>
            <ul className="diff">
              {r.diff.map((d) => (
                <li key={d.field}>
                  {d.field}: {d.old} → <strong>{d.new}</strong>
                </li>
              ))}
            </ul>
            <span className="muted">
              Asked by {r.makerName} · {formatDateTime(r.createdAt)} · expires {formatDateTime(r.expiresAt)} · {r.remark}
            </span>
            {r.mine ? (
              <Form method="post" action="/admin/approvals" className="actions">
                <input type="hidden" name="requestId" value={r.id} />
                <button type="submit" name="intent" value="withdraw" className="secondary">
                  Withdraw request {r.id}
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
