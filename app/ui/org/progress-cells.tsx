/** Progress figures of the org screens: done share, the share expected by now, and the pace. */
export interface ProgressView {
  total: number;
  done: number;
  donePct: number;
  expectedPct: number;
  behind: boolean;
}

const count = (n: number) => n.toLocaleString('en-PH');

/** Table cells: clients, done (share), expected share, schedule. Matches ProgressHeadings. */
export function ProgressCells({ progress }: { progress: ProgressView }) {
  return (
    <>
      <td data-label="Clients" className="num">
        {count(progress.total)}
      </td>
      <td data-label="Done" className="num">
        {count(progress.done)} ({progress.donePct.toFixed(1)}%)
      </td>
      <td data-label="Expected by now" className="num">
        {progress.expectedPct.toFixed(1)}%
      </td>
      <td data-label="Schedule">
        <ScheduleBadge progress={progress} />
      </td>
    </>
  );
}

export function ProgressHeadings() {
  return (
    <>
      <th className="num">Clients</th>
      <th className="num">Done</th>
      <th className="num">Expected by now</th>
      <th>Schedule</th>
    </>
  );
}

export function ScheduleBadge({ progress }: { progress: ProgressView }) {
  if (!progress.total) return <span className="muted">No clients</span>;
  return progress.behind ? (
    <span className="badge PENDING" data-testid="behind">
      Behind
    </span>
  ) : (
    <span className="badge DONE">On track</span>
  );
}

/** The rule in words, under every progress table. */
export function ScheduleNote({ periods, gracePoints }: { periods: { monthly: string; quarterly: string }; gracePoints?: number }) {
  return (
    <p className="muted">
      Current period: {periods.monthly} (monthly) and {periods.quarterly} (quarterly). “Expected by now” is the share of the period already gone by (Manila
      time); a group is behind schedule when its done share is more than {gracePoints ?? 10} points below it.
    </p>
  );
}
