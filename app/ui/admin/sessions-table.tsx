import { Form } from '@remix-run/react';
import { deviceName } from '../device';
import { formatDateTime } from '../format';

type Session = {
  id: number;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  endedAt: string | null;
  endReason: string | null;
};

/** A user's sessions for an admin: open ones can be ended one by one or all at once. */
export function SessionsTable({ sessions, canManage }: { sessions: Session[]; canManage: boolean }) {
  const open = sessions.filter((s) => !s.endedAt);
  return (
    <section className="card">
      <h2>Sessions</h2>
      <table className="responsive">
        <thead>
          <tr>
            <th>Device</th>
            <th>IP</th>
            <th>Signed in</th>
            <th>Last seen</th>
            <th>State</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id} data-testid="admin-session-row">
              <td data-label="Device">{deviceName(s.userAgent)}</td>
              <td data-label="IP">{s.ip ?? '—'}</td>
              <td data-label="Signed in">{formatDateTime(s.createdAt)}</td>
              <td data-label="Last seen">{formatDateTime(s.lastSeenAt)}</td>
              <td data-label="State">{s.endedAt ? `Ended (${s.endReason ?? '?'})` : 'Open'}</td>
              <td>
                {canManage && !s.endedAt ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="end-session" />
                    <input type="hidden" name="sessionId" value={s.id} />
                    <button type="submit" className="secondary">
                      End
                    </button>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {canManage && open.length > 0 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="end-all-sessions" />
          <button type="submit">End all sessions</button>
        </Form>
      ) : null}
    </section>
  );
}
