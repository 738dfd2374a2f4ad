import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Form, Link, useActionData, useLoaderData, type MetaFunction } from '@remix-run/react';
import { listRequests } from '../../core/approvals/list-requests.server';
import { CHECKED_ACTIONS, REMARK_LIMITS, type CheckedAction } from '../../core/approvals/checked-actions';
import { CHECKER_PERMISSIONS } from '../../core/approvals/handlers.server';
import { replyFor } from '../../core/forms/form-reply';
import { formatDateTime } from '../../ui/format';
import { readRequestForm } from '../../web/form-protocol.server';
import { requireStaff } from '../../web/require-staff.server';
import { handleApprovalAction } from './actions.server';

export const meta: MetaFunction = () => [{ title: 'Approvals · Client Updater' }];

// Maker-checker (decision 101): changes that wait for a second admin. The gate asks for one of the
// permissions some checked action needs (users:manage, config:manage, …); each request is listed and
// decided only where its action's handler covers the reader.
const gate = { route: 'admin-approvals', permission: CHECKER_PERMISSIONS };

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { ...gate, limit: 'read' });
  const requests = await listRequests(args.context.app, staff.access, staff.user.id);
  return json({ requests });
}

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, { ...gate, limit: 'write' });
  return handleApprovalAction(args.context.app, { userId: staff.user.id, access: staff.access }, await readRequestForm(args.request));
}

/** What changes, old → new. */
function ChangeDiff({ diff }: { diff: Array<{ field: string; old: string; new: string }> }) {
  if (!diff.length) return <span className="muted">No change</span>;
  return (
    <ul className="diff">
      {diff.map((d) => (
        <li key={d.field}>
          {d.field}: {d.old} → <strong>{d.new}</strong>
        </li>
      ))}
    </ul>
  );
}

export default function Approvals() {
  const { requests } = useLoaderData<typeof loader>();
  const reply = replyFor(useActionData<typeof action>());
  return (
    <>
      <h1>Approvals</h1>
      <p className="muted">
        Changes another admin asked for wait here until a second admin approves them. Nobody approves their own request; a rejection needs a reason.
      </p>
      {reply?.formError ? (
        <p className="banner error" role="alert" data-testid="approval-error">
          {reply.formError}
        </p>
      ) : null}
      {requests.length === 0 ? <p className="muted">No requests.</p> : null}
      {requests.map((r) => {
        const label = CHECKED_ACTIONS[r.action as CheckedAction]?.label ?? r.action;
        return (
          <section key={r.id} className="card" data-testid="approval-request" data-request-id={r.id} data-state={r.state}>
            <h2>
              Request {r.id}: {label} · {r.company}
            </h2>
            <dl className="facts">
              {r.targetType === 'user' ? (
                <>
                  <dt>User</dt>
                  <dd>
                    <Link to={`/admin/users/${r.targetId}`}>{r.targetName ?? `User ${r.targetId}`}</Link>
                  </dd>
                </>
              ) : null}
              <dt>Change</dt>
              <dd>
                <ChangeDiff diff={r.diff} />
              </dd>
              <dt>Asked by</dt>
              <dd>
                {r.makerName} · {formatDateTime(r.createdAt)}
              </dd>
              <dt>Why</dt>
              <dd>{r.remark}</dd>
              <dt>State</dt>
              <dd data-testid="approval-state">
                {r.state}
                {r.checkerName ? ` by ${r.checkerName}` : ''}
                {r.decidedAt ? ` · ${formatDateTime(r.decidedAt)}` : ` · expires ${formatDateTime(r.expiresAt)}`}
                {r.decisionRemark ? ` · ${r.decisionRemark}` : ''}
              </dd>
            </dl>
            {r.state === 'pending' && !r.mine ? (
              <div className="actions">
                <Form method="post">
                  <input type="hidden" name="requestId" value={r.id} />
                  <button type="submit" name="intent" value="approve">
                    Approve request {r.id}
                  </button>
                </Form>
                <Form method="post">
                  <input type="hidden" name="requestId" value={r.id} />
                  <label htmlFor={`reason-${r.id}`}>Reason to reject</label>
                  <textarea id={`reason-${r.id}`} name="reason" required minLength={REMARK_LIMITS.min} maxLength={REMARK_LIMITS.max} rows={2} />
                  <button type="submit" name="intent" value="reject">
                    Reject request {r.id}
                  </button>
                </Form>
              </div>
            ) : null}
            {r.state === 'pending' && r.mine ? (
              <Form method="post" className="actions">
                <input type="hidden" name="requestId" value={r.id} />
                <span className="muted">Waiting for another admin.</span>
                <button type="submit" name="intent" value="withdraw">
                  Withdraw request {r.id}
                </button>
              </Form>
            ) : null}
          </section>
        );
      })}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../../ui/general-error-boundary';
