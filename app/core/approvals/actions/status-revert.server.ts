// status.revert (decision 101, session 6): a backward status move, or any change of a DONE row, in
// a company that checks reversals (setting checker_status_reversals, on by default) waits for a
// second person with status:revert over the client's branch. Both sides run applyStatusUpdate: the
// maker's with a hook that stores the request instead of the write, the checker's with the decide
// hook, so the event, activity row and counts are written exactly as for a direct update.
import { z } from 'zod';
import type { ChangeRequest } from '../../../../db/schema';
import type { AppContext } from '../../../platform/context';
import { scopeCompanyIds, scopeIncludesBranch, type StaffScope } from '../../access/scope.server';
import type { StaffAccess } from '../../access/staff-access.server';
import { applyStatusUpdate, plainStatusUpdate, type StatusUpdateResult } from '../../status/apply-status-update.server';
import { takeEarlyStatusRead } from '../../status/early-status-read.server';
import { statusLookups } from '../../status/status-lookups.server';
import type { StatusUpdateRequest } from '../../status/workflow';
import type { CheckedActionHandler } from '../checked-action.server';
import { checkedCompanies } from '../checker-rules.server';
import { askForChange } from '../request-store.server';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** The direct path's validated input (status form + which client and period), as the request stores it. */
export const revertPayload = z.object({
  clientId: id,
  periodKey: z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/),
  statusTypeId: id,
  reasonId: id.nullable(),
  remarks: z.string().trim().min(1).max(500),
  hasPayment: z.boolean(),
  baseVersion: z.number().int().min(0).max(999_999_999),
  /** For the approvals list only (the code of the status asked for). */
  toStatus: z.string().max(40),
});
export type RevertPayload = z.infer<typeof revertPayload>;

type Who = { userId: number; scope: StaffScope; revertScope: StaffScope | null };

/**
 * The maker's status update: applied at once, unless it is a revert in a company that checks
 * reversals; then the validated update waits as a request (AWAITS_APPROVAL) and nothing else is written.
 */
export async function updateStatusOrAsk(
  ctx: AppContext,
  who: Who,
  target: { clientId: number; periodKey: string },
  req: StatusUpdateRequest,
): Promise<StatusUpdateResult> {
  // Read beside the session (decision 109): a plain update (no revert) is one batch, no switch to read.
  const early = await takeEarlyStatusRead(ctx, target);
  if (early) {
    const plain = await plainStatusUpdate(ctx, who, target, req, early.row, early.lookups);
    if (plain) return plain;
  }
  // Only a holder of status:revert can revert at all: their revert companies are the ones to ask about.
  // The switches and the lookups (handed to the update, which would read them again) in one step.
  const [checked, lookups] = await Promise.all([
    who.revertScope ? checkedCompanies(ctx, scopeCompanyIds(who.revertScope), 'status.revert') : Promise.resolve<number[]>([]),
    early?.lookups ?? statusLookups(ctx),
  ]);
  if (!checked.length) return applyStatusUpdate(ctx, who, target, req, { lookups });
  const toStatus = lookups.statuses.find((s) => s.id === req.statusTypeId)?.code ?? '?';
  return applyStatusUpdate(ctx, who, target, req, {
    lookups,
    revertRequests: {
      checked: (companyId) => checked.includes(companyId),
      ask: (tx, row, remarks) => {
        const payload: RevertPayload = { ...target, ...req, remarks: remarks ?? '', toStatus };
        return askForChange(ctx, tx, {
          action: 'status.revert',
          companyId: row.companyId,
          branchId: row.branchId,
          targetType: 'client_period_status',
          targetId: row.id,
          payload,
          before: { version: row.version, statusTypeId: row.statusTypeId, status: row.status },
          remark: remarks ?? '',
          makerId: who.userId,
        });
      },
    },
  });
}

/** A checker needs status:revert over the request's branch (its company too). */
export function coversBranch(access: StaffAccess, row: ChangeRequest): boolean {
  const scope = access.scope('status:revert');
  return Boolean(scope && row.branchId !== null && scopeIncludesBranch(scope, row.companyId, row.branchId));
}

export const statusRevertHandler: CheckedActionHandler<RevertPayload> = {
  action: 'status.revert',
  permission: 'status:revert',
  covers: coversBranch,
  payload: revertPayload,
  async apply(ctx, checker, row, payload, decide) {
    const revertScope = checker.access.scope('status:revert');
    if (!revertScope) return { ok: false, message: 'You need status:revert to approve this.' };
    const { clientId, periodKey, statusTypeId, reasonId, remarks, hasPayment, baseVersion } = payload;
    const result = await applyStatusUpdate(
      ctx,
      { userId: checker.userId, scope: revertScope, revertScope },
      { clientId, periodKey },
      { statusTypeId, reasonId, remarks, hasPayment, baseVersion },
      { approval: { requestId: row.id, makerId: row.makerId, decide } },
    );
    if (result.ok) return { ok: true };
    if (result.code === 'NOT_FOUND') return { ok: false, message: 'This client is not in your territory for this period.' };
    if (result.code === 'APPROVAL_CONFLICT') return { ok: false, message: result.message, conflict: true };
    return { ok: false, message: result.message };
  },
  diff(row) {
    const before = row.before as { status?: string; version?: number };
    const payload = row.payload as Partial<RevertPayload>;
    return [
      { field: `Status (${payload.periodKey ?? '?'})`, old: String(before.status ?? '?'), new: String(payload.toStatus ?? '?') },
      { field: 'Remarks', old: '', new: String(payload.remarks ?? '') },
    ];
  },
};
