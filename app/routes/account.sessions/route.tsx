import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Form, useLoaderData, type MetaFunction } from '@remix-run/react';
import { sessionsOf } from '../../core/users/user-detail.server';
import { deviceName } from '../../ui/device';
import { formatDateTime } from '../../ui/format';
import { requireSignedIn } from '../../web/require-staff.server';
import { handleAction } from './actions.server';

export const meta: MetaFunction = () => [{ title: 'My sessions · Client Updater' }];

export async function loader(args: LoaderFunctionArgs) {
  const me = await requireSignedIn(args, { route: 'account-sessions', limit: 'read' });
  const sessions = await sessionsOf(args.context.app, me.user.id);
  return json({ currentId: me.sessionId, sessions: sessions.filter((s) => !s.endedAt) });
}

export async function action(args: ActionFunctionArgs) {
  return handleAction(args);
}

export default function MySessions() {
  const { currentId, sessions } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>My sessions</h1>
      <p className="muted">Where you are signed in. End any you do not recognise, then change your password.</p>
      <table className="responsive">
        <thead>
          <tr>
            <th>Device</th>
            <th>IP</th>
            <th>Signed in</th>
            <th>Last seen</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id} data-testid="session-row">
              <td data-label="Device">
                {deviceName(s.userAgent)}
                {s.id === currentId ? <strong> (this device)</strong> : null}
              </td>
              <td data-label="IP">{s.ip ?? '—'}</td>
              <td data-label="Signed in">{formatDateTime(s.createdAt)}</td>
              <td data-label="Last seen">{formatDateTime(s.lastSeenAt)}</td>
              <td>
                <Form method="post">
                  <input type="hidden" name="intent" value="end-one" />
                  <input type="hidden" name="sessionId" value={s.id} />
                  <button type="submit" className="secondary">
                    End
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {sessions.length > 1 ? (
        <Form method="post" className="card">
          <input type="hidden" name="intent" value="end-others" />
          <button type="submit">End all other sessions</button>
        </Form>
      ) : null}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../../ui/general-error-boundary';
