import { formatDateTime } from '../format';

type Step = {
  kind: 'activity' | 'audit' | 'job' | 'attempt' | 'delivery';
  at: string;
  key: string;
  title: string;
  who: string | null;
  detail: string | null;
  outcome: string | null;
  spanId: string | null;
};

const KIND_LABEL: Record<Step['kind'], string> = {
  activity: 'Activity',
  audit: 'Audit',
  job: 'Job',
  attempt: 'Attempt',
  delivery: 'NextBank',
};

/** What one trace did, oldest first (decision 094): the request's rows, its jobs and their attempts, the deliveries. */
export function TraceTimeline({ traceId, steps }: { traceId: string; steps: Step[] }) {
  return (
    <>
      <p>
        Trace <code data-testid="trace-id">{traceId}</code> (reference <strong>{traceId.slice(0, 8)}</strong>)
      </p>
      <table className="responsive" data-testid="trace-timeline">
        <thead>
          <tr>
            <th>When</th>
            <th>What</th>
            <th>Step</th>
            <th>By</th>
            <th>Outcome</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s) => (
            <tr key={s.key} data-testid="trace-step" data-kind={s.kind}>
              <td data-label="When">{formatDateTime(s.at)}</td>
              <td data-label="What">{KIND_LABEL[s.kind]}</td>
              <td data-label="Step">
                <code>{s.title}</code>
              </td>
              <td data-label="By">{s.who ?? '—'}</td>
              <td data-label="Outcome">{s.outcome ?? '—'}</td>
              <td data-label="Details" className="details">
                {s.detail ?? ''}
                {s.spanId ? <span className="muted"> span {s.spanId}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
