import type { ServiceHealth } from '../../core/health/service-heartbeats.server';
import { formatDateTime } from '../format';
import { shortDuration } from './durations';

const BREAKER_LABEL: Record<string, string> = {
  closed: 'Closed (calls pass)',
  open: 'Open (calls refused)',
  half_open: 'Half-open (trying)',
  isolated: 'Isolated',
  unknown: 'Unknown',
};
const STATE_TEXT: Record<ServiceHealth['state'], string> = {
  up: 'Running',
  stale: 'Not heard from recently',
  stopped: 'Stopped',
  none: 'No heartbeat yet',
  unknown: 'Unknown (database unavailable)',
};

/** The Node service as its heartbeats tell it: per instance the last beat's age, breakers, and queue depths. */
export function ServiceStatus({ service }: { service: ServiceHealth }) {
  const n = (v: number | null) => (v === null ? '—' : v.toLocaleString('en-PH'));
  return (
    <section className="card" data-testid="service-status">
      <h2>Background service</h2>
      <p data-testid="service-state" className={service.state === 'up' ? 'ok' : 'bad'}>
        {STATE_TEXT[service.state]}
      </p>
      {service.instances.length ? (
        <table>
          <thead>
            <tr>
              <th>Instance</th>
              <th>Last heartbeat</th>
              <th>Uptime</th>
              <th>Circuit breakers</th>
            </tr>
          </thead>
          <tbody>
            {service.instances.map((i) => (
              <tr key={i.label} data-testid="service-instance">
                <td>
                  {i.label}
                  {i.version ? <span className="muted"> · v{i.version}</span> : null}
                </td>
                <td className={i.stale ? 'bad' : undefined} title={formatDateTime(i.publishedAt)}>
                  <span data-testid="heartbeat-age">last heartbeat {shortDuration(i.ageSeconds)} ago</span>
                  {i.stopped ? (
                    <strong data-testid="heartbeat-stopped"> · stopped</strong>
                  ) : i.stale ? (
                    <strong data-testid="heartbeat-stale"> · stale (over {shortDuration(service.staleAfterSeconds)})</strong>
                  ) : null}
                  {i.clockAhead ? <span className="muted"> · the service's clock is ahead of the app's</span> : null}
                </td>
                <td>{i.uptimeSeconds === null ? '—' : shortDuration(i.uptimeSeconds)}</td>
                <td>
                  {i.breakers.length ? (
                    i.breakers.map((b) => (
                      <span key={b.name} data-testid={`breaker-${b.name}`} className={b.state === 'closed' ? 'ok' : 'bad'}>
                        {b.name}: {BREAKER_LABEL[b.state]}
                        {b.changedAt ? <span className="muted"> since {formatDateTime(b.changedAt)}</span> : null}{' '}
                      </span>
                    ))
                  ) : (
                    <span className="muted">not published</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {service.queues.length ? (
        <>
          <h3>Job queues</h3>
          <table data-testid="queue-depths">
            <thead>
              <tr>
                <th>Queue</th>
                <th className="num">Pending</th>
                <th className="num">Running</th>
                <th className="num">Failed (retrying)</th>
                <th className="num">Dead</th>
              </tr>
            </thead>
            <tbody>
              {service.queues.map((q) => (
                <tr key={q.queue} data-testid={`queue-${q.queue}`}>
                  <td>{q.queue}</td>
                  <td className="num">{n(q.pending)}</td>
                  <td className="num">{n(q.running)}</td>
                  <td className="num">{n(q.failed)}</td>
                  <td className={q.dead ? 'num bad' : 'num'}>{n(q.dead)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">As published by the service at {formatDateTime(service.queuesPublishedAt)}.</p>
        </>
      ) : service.instances.length ? (
        <p className="muted">Queue depths not published.</p>
      ) : null}
    </section>
  );
}
