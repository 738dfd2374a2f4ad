import { formatDateTime } from '../format';

type Event = {
  sequence: number;
  createdAt: string;
  by: string | null;
  fromCode: string | null;
  toCode: string;
  toName: string;
  reason: string | null;
  remarks: string | null;
  hasPayment: boolean;
  isRevert: boolean;
};

/** The period's events in order: who, when, from → to, reason, remarks, payment. */
export function PeriodHistory({ events }: { events: Event[] }) {
  return (
    <section className="card">
      <h3>History this period</h3>
      <ol className="history">
        {events.map((e) => (
          <li key={e.sequence} data-testid="history-event">
            <strong>
              {e.fromCode ?? '—'} → {e.toCode}
            </strong>
            {e.isRevert ? ' (revert)' : ''}
            {e.reason ? ` · ${e.reason}` : ''} · payment {e.hasPayment ? 'yes' : 'no'}
            <div className="muted">
              {e.by ?? 'system'} · {formatDateTime(e.createdAt)}
            </div>
            {e.remarks ? <div>{e.remarks}</div> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
