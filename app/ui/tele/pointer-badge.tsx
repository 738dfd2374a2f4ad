const LABELS: Record<string, string> = { current: 'Current', touched_status: 'Status touched', touched_month: 'Month touched' };
const HINTS: Record<string, string> = {
  current: 'New cycle: save the tele status first',
  touched_status: 'Tele status saved; the Month to Update moves it on once NextBank confirms',
  touched_month: 'Month to Update confirmed by NextBank; back to current at the next NextBank sync',
};

/** Where the client is in the tele cycle (domain.md pointer). A missing pointer is the start: current. */
export function PointerBadge({ pointer }: { pointer: string | null }) {
  const at = pointer ?? 'current';
  return (
    <span className={`badge pointer-${at}`} title={HINTS[at]} data-testid="tele-pointer">
      {LABELS[at] ?? at}
    </span>
  );
}
