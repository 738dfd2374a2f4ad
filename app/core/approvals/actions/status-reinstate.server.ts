// status.reinstate (decision 101, session 6): reinstating a terminal client in a company that checks
// reversals (checker_status_reversals, on by default) waits for a second person with status:revert
// over the client's branch. Both sides run reinstateClient; the request keeps the client's terminal
// rows' versions as `before`, and an approval finding them changed applies nothing (409).
import { z } from 'zod';
import type { AppContext } from '../../../platform/context';
import { scopeCompanyIds, type StaffScope } from '../../access/scope.server';
import { reinstateClient, type ReinstateResult } from '../../status/reinstate-client.server';
import type { CheckedActionHandler } from '../checked-action.server';
import { checkedCompanies } from '../checker-rules.server';
import { askForChange } from '../request-store.server';
import { coversBranch } from './status-revert.server';

export const reinstatePayload = z.object({
  clientId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  remarks: z.string().trim().min(1).max(500),
});
export type ReinstatePayload = z.infer<typeof reinstatePayload>;

/** The maker's reinstatement: at once, or a request where the client's company checks reversals. */
export async function reinstateOrAsk(
  ctx: AppContext,
  who: { userId: number; scope: StaffScope },
  clientId: number,
  input: { remarks: string },
): Promise<ReinstateResult> {
  // Settings are read before the transaction (the client's company is among the scope's).
  const checked = await checkedCompanies(ctx, scopeCompanyIds(who.scope), 'status.reinstate');
  if (!checked.length) return reinstateClient(ctx, who, clientId, input);
  return reinstateClient(ctx, who, clientId, input, {
    askForReinstate: async (tx, target, remarks) => {
      if (!checked.includes(target.companyId)) return null;
      return askForChange(ctx, tx, {
        action: 'status.reinstate',
        companyId: target.companyId,
        branchId: target.branchId,
        targetType: 'client',
        targetId: clientId,
        payload: { clientId, remarks } satisfies ReinstatePayload,
        before: { rows: target.rows },
        remark: remarks,
        makerId: who.userId,
      });
    },
  });
}

export const statusReinstateHandler: CheckedActionHandler<ReinstatePayload> = {
  action: 'status.reinstate',
  permission: 'status:revert',
  covers: coversBranch,
  payload: reinstatePayload,
  async apply(ctx, checker, row, payload, decide) {
    const scope = checker.access.scope('status:revert');
    if (!scope) return { ok: false, message: 'You need status:revert to approve this.' };
    const result = await reinstateClient(ctx, { userId: checker.userId, scope }, payload.clientId, payload, {
      approval: { requestId: row.id, makerId: row.makerId, decide },
    });
    if (result.ok) return { ok: true };
    if (result.code === 'NOT_FOUND') return { ok: false, message: 'This client is not in your territory.' };
    if (result.code === 'APPROVAL_CONFLICT') return { ok: false, message: result.message, conflict: true };
    return { ok: false, message: result.message };
  },
  diff(row) {
    const rows = Object.keys((row.before as { rows?: Record<string, number> }).rows ?? {}).length;
    return [
      { field: 'Terminal', old: `yes (${rows} period row${rows === 1 ? '' : 's'})`, new: 'no: reinstated' },
      { field: 'Remarks', old: '', new: String((row.payload as Partial<ReinstatePayload>).remarks ?? '') },
    ];
  },
};
