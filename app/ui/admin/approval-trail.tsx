import { formatDateTime } from '../format';

/** What the audit log and the activity viewer carry for a row tied to a maker-checker request (decision 101). */
export type ApprovalTrailView = {
  requestId: number;
  makerEmail: string;
  madeAt: string;
  checkerEmail: string | null;
  decidedAt: string | null;
  outcome: string;
} | null;

/** "Request 7: asked by a@… at …; approved by b@… at …" (maker, checker, both times, the outcome). */
export function ApprovalTrail({ trail }: { trail: ApprovalTrailView | undefined }) {
  if (!trail) return <span className="muted">—</span>;
  return (
    <span data-testid="approval-trail" data-outcome={trail.outcome}>
      Request {trail.requestId}: asked by {trail.makerEmail} at {formatDateTime(trail.madeAt)}; {trail.outcome === 'pending' ? 'waiting' : trail.outcome}
      {trail.checkerEmail ? ` by ${trail.checkerEmail}` : ''}
      {trail.decidedAt ? ` at ${formatDateTime(trail.decidedAt)}` : ''}
    </span>
  );
}
