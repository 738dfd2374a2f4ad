// How the status writes take part in maker-checker (decision 101) without knowing about requests:
// the maker's path hands a hook that may turn the write into a request, the checker's path a hook
// that closes the request; both run inside the write's own transaction, before anything is written.
import type { WriteTransaction } from '../../platform/write-queue';

/** A request stored instead of the write, or why it could not be (a remark too short, one already waiting). */
export type AskOutcome = { ok: true; requestId: number } | { ok: false; message: string };

/**
 * The checker's side: closes the request (approved, or stale when `current` is not what the maker
 * saw). Without `decide` (the rows of an approved bulk request, closed once before them) the write
 * only names maker and checker.
 */
export interface StatusApproval {
  requestId: number;
  makerId: number;
  decide?: (tx: WriteTransaction, current: Record<string, unknown>) => Promise<{ ok: true } | { ok: false; message: string }>;
}

/** The approval as the activity row names it: who asked, who approved. */
export const approvalDetails = (approval: StatusApproval, checkerId: number) => ({
  approval: { requestId: approval.requestId, makerId: approval.makerId, checkerId },
});
